import { closeSync, openSync, writeSync } from "node:fs";

export const MIB = 2 ** 20;

/** A deterministic generator of 31-bit numbers (the LCG of glibc's rand). */
function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff);
}

/**
 * Writes `mebibytes` MiB of lines of 12 words and a full stop. `nextWord` gives each word's
 * ASCII bytes. Writes in 1 MiB chunks; no string is built.
 */
function writeWords(file: string, mebibytes: number, nextWord: (out: Uint8Array, at: number) => number): void {
  const fd = openSync(file, "w");
  try {
    const chunk = new Uint8Array(MIB + 4096);
    let left = mebibytes * MIB;
    let used = 0;
    let inLine = 0;
    while (left > 0) {
      used = nextWord(chunk, used);
      if (++inLine === 12) {
        chunk[used++] = 0x2e; // "."
        chunk[used++] = 0x0a;
        inLine = 0;
      } else {
        chunk[used++] = 0x20;
      }
      if (used >= MIB || used >= left) {
        const length = Math.min(used, left);
        writeSync(fd, chunk, 0, length);
        left -= length;
        used = 0;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes "w" and the number in base 36. */
function writeTag(out: Uint8Array, at: number, value: number): number {
  out[at++] = 0x77;
  const digits = value.toString(36);
  for (let i = 0; i < digits.length; i++) out[at++] = digits.charCodeAt(i);
  return at;
}

/** Words drawn from a fixed vocabulary of 5,000, so only the size changes with `mebibytes`. */
export function writeSmallVocabulary(file: string, mebibytes: number): void {
  const next = lcg(42);
  writeWords(file, mebibytes, (out, at) => writeTag(out, at, next() % 5000));
}

/**
 * Words drawn uniformly from `range` numbers (about 8 million distinct in 100 MiB with the
 * default range); returns how many distinct words the file holds.
 */
export function writeLargeVocabulary(file: string, mebibytes: number, range = 11_500_000): number {
  const next = lcg(7);
  const seen = new Uint8Array(Math.ceil(range / 8));
  let distinct = 0;
  writeWords(file, mebibytes, (out, at) => {
    const value = next() % range;
    const bit = 1 << (value & 7);
    if ((seen[value >>> 3]! & bit) === 0) {
      seen[value >>> 3]! |= bit;
      distinct++;
    }
    return writeTag(out, at, value);
  });
  return distinct;
}
