import { isPythonWhitespace } from "./python-whitespace.js";
import { decodeUtf8At, INCOMPLETE, InvalidUtf8Error, utf8Length } from "./utf8-sequence.js";
import type { WordTable } from "./word-table.js";

/** Python's `string.punctuation`: the only characters stripped from the ends of a token. */
export const PYTHON_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/** 1 for the bytes of PYTHON_PUNCTUATION. All ASCII, so never part of a multi-byte sequence. */
const PUNCTUATION_BYTE = new Uint8Array(256);
for (const c of PYTHON_PUNCTUATION) PUNCTUATION_BYTE[c.charCodeAt(0)] = 1;

/** The first index in [start, end) whose byte is not punctuation (`end` if none). */
export function skipPunctuation(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && PUNCTUATION_BYTE[bytes[start]!] === 1) start++;
  return start;
}

/** One past the last index in [start, end) whose byte is not punctuation (`start` if none). */
export function trimPunctuation(bytes: Uint8Array, start: number, end: number): number {
  while (end > start && PUNCTUATION_BYTE[bytes[end - 1]!] === 1) end--;
  return end;
}

function malformedAt(bytes: Uint8Array, i: number, offset: number): InvalidUtf8Error {
  const shown = Array.from(bytes.subarray(i, i + 4), (b) => `0x${b.toString(16).padStart(2, "0")}`).join(" ");
  return new InvalidUtf8Error(`malformed or truncated UTF-8 sequence at byte ${offset + i} (${shown})`);
}

/**
 * Counts into `table` the words of bytes[0..end), as the original's
 * `[w.strip(string.punctuation) for w in text.decode('utf-8').split()]` does, working on the
 * UTF-8 bytes: tokens are the runs between Python whitespace (decoded only where a byte is
 * not ASCII), and stripping ASCII bytes off a token's ends never splits a character.
 *
 * Unless `final`, the bytes may end inside a word or a character: the scan stops before them
 * and returns where they start, so the caller keeps them and scans them again with what
 * follows. `from` > 0 says that bytes[0..from) are such a kept word, already scanned (well-formed,
 * no whitespace): the scan resumes there, so a word longer than many chunks is scanned once.
 * Returns `end` once everything is counted. `offset` (the position of bytes[0] in the
 * whole input) only serves error messages. Malformed UTF-8 throws InvalidUtf8Error.
 */
export function scanWords(bytes: Uint8Array, from: number, end: number, final: boolean, table: WordTable, offset: number): number {
  try {
    return scanTokens(bytes, from, end, final, table, offset);
  } finally {
    // The caller moves the unscanned bytes next: the table must be done with these.
    table.flush();
  }
}

function scanTokens(bytes: Uint8Array, from: number, end: number, final: boolean, table: WordTable, offset: number): number {
  let i = from;
  let tokenStart = 0;
  let resuming = from > 0;
  for (;;) {
    // A run of whitespace.
    while (!resuming && i < end) {
      const b = bytes[i]!;
      if (b < 0x80) {
        if (b > 0x20 || (b < 0x1c && (b < 0x09 || b > 0x0d))) break;
        i++;
        continue;
      }
      const codePoint = decodeUtf8At(bytes, i, end);
      if (codePoint < 0) {
        if (codePoint === INCOMPLETE && !final) return i;
        throw malformedAt(bytes, i, offset);
      }
      if (!isPythonWhitespace(codePoint)) break;
      i += utf8Length(codePoint);
    }
    if (i >= end) return end;
    // A token: everything up to the next whitespace.
    if (!resuming) tokenStart = i;
    resuming = false;
    while (i < end) {
      const b = bytes[i]!;
      if (b < 0x80) {
        if (b > 0x20 || (b < 0x1c && (b < 0x09 || b > 0x0d))) {
          i++;
          continue;
        }
        break;
      }
      const codePoint = decodeUtf8At(bytes, i, end);
      if (codePoint < 0) {
        if (codePoint === INCOMPLETE && !final) return tokenStart;
        throw malformedAt(bytes, i, offset);
      }
      if (isPythonWhitespace(codePoint)) break;
      i += utf8Length(codePoint);
    }
    if (i >= end && !final) return tokenStart;
    const start = skipPunctuation(bytes, tokenStart, i);
    table.add(bytes, start, trimPunctuation(bytes, start, i));
  }
}
