/**
 * Property tests: the byte-level counter against the whole-text reference (reference-top-words.ts)
 * and the original Python algorithm, on seeded random inputs mixing Python's whitespace (ASCII
 * and Unicode), look-alikes that are not whitespace, punctuation, 2-, 3- and 4-byte characters,
 * the BOM, many distinct words and very long ones, fed in random chunks.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countFile, InvalidUtf8Error } from "../../../task/count-file.js";
import { batchTaskIdentity, formatOutput } from "../../../task/format-output.js";
import { mostCommonIds } from "../../../task/most-common.js";
import { WordCounter } from "../../../task/word-counter.js";
import { PYTHON3_AVAILABLE, runOriginalAlgorithm } from "./original-python-task.js";
import { referenceTopWords } from "./reference-top-words.js";

function seededRandom(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * below);
  };
}

const WHITESPACE = Array.from("\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000");
const NOT_WHITESPACE = ["\uFEFF", "\u200B", "\u2060", "\u180E", "\u00AD", "\x00", "\x08", "\x0e", "\x1b", "\x7f", "\u2800", "\u3001"];
const PUNCTUATION = Array.from("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");
const LETTERS = ["a", "b", "c", "A", "B", "é", "ß", "ж", "—", "’", "…", "«", "東", "京", "€", "\uFFFD", "\uFFFF", "😀", "𝄞", "\u{10FFFF}", "e\u0301"];

/** Random text: words of letters wrapped in punctuation, separated by runs of whitespace. */
function randomText(random: (below: number) => number, words: number, vocabulary: number): string {
  const parts: string[] = random(4) === 0 ? ["\uFEFF"] : [];
  for (let w = 0; w < words; w++) {
    for (let p = random(3); p > 0; p--) parts.push(PUNCTUATION[random(PUNCTUATION.length)]!);
    const id = random(vocabulary);
    for (let x = id, k = 0; k < 1 + (id % 4); k++, x = Math.floor(x / LETTERS.length)) parts.push(LETTERS[x % LETTERS.length]!);
    if (random(8) === 0) parts.push(NOT_WHITESPACE[random(NOT_WHITESPACE.length)]!);
    if (random(10) === 0) parts.push(PUNCTUATION[random(PUNCTUATION.length)]!, LETTERS[random(LETTERS.length)]!);
    for (let p = random(3); p > 0; p--) parts.push(PUNCTUATION[random(PUNCTUATION.length)]!);
    for (let s = 1 + random(3); s > 0; s--) parts.push(WHITESPACE[random(WHITESPACE.length)]!);
  }
  if (random(2) === 0) parts.pop();
  return parts.join("");
}

/** Counts bytes fed in random chunks (cut anywhere, inside characters too). */
function countInChunks(bytes: Uint8Array, random: (below: number) => number, maxChunk: number): WordCounter {
  const counter = new WordCounter(1 + random(64));
  for (let i = 0; i < bytes.length;) {
    const length = 1 + random(maxChunk);
    counter.feedBytes(bytes.subarray(i, i + length));
    i += length;
  }
  counter.end();
  return counter;
}

const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);

describe("WordCounter against the reference on random text", () => {
  it.each(SEEDS)("bytes in random chunks, random N (seed %i)", (seed) => {
    const random = seededRandom(seed);
    const text = randomText(random, 50 + random(2000), 1 + random(3000));
    const bytes = new TextEncoder().encode(text);
    const n = [0, -1, 1, 5, 1000, 100_000][random(6)]!;
    expect(countInChunks(bytes, random, 1 + random(300)).mostCommon(n)).toEqual(referenceTopWords(text, n));
  });

  it.each(SEEDS.slice(0, 10))("text in random chunks, surrogate pairs split (seed %i)", (seed) => {
    const random = seededRandom(seed * 7919);
    const text = randomText(random, 500, 200);
    const counter = new WordCounter();
    for (let i = 0; i < text.length;) {
      const length = 1 + random(20);
      counter.feed(text.slice(i, i + length));
      i += length;
    }
    counter.end();
    expect(counter.mostCommon(50)).toEqual(referenceTopWords(text, 50));
  });

  it("counts 100,000 distinct words (the table and its pages grow) with ties by first occurrence", () => {
    const random = seededRandom(99);
    const words = Array.from({ length: 100_000 }, (_, i) => `w${i.toString(36)}`);
    const text = words.join(" ") + " " + Array.from({ length: 50_000 }, () => words[random(words.length)]).join("\u3000");
    const counter = countInChunks(new TextEncoder().encode(text), random, 70_000);
    expect(counter.vocabularySize).toBe(100_000);
    expect(counter.mostCommon(150_000)).toEqual(referenceTopWords(text, 150_000));
  }, 30_000);

  it("counts words longer than the buffer and than an arena page (1 MiB)", () => {
    const long = "x".repeat(3 * 2 ** 20) + "😀";
    const text = `${long} a ${long}! b (${long.slice(1)}) ${"y".repeat(5000)}`;
    const counter = countInChunks(new TextEncoder().encode(text), seededRandom(5), 100_000);
    expect(counter.mostCommon(10)).toEqual(referenceTopWords(text, 10));
  });
});

describe("UTF-8 validation against a fatal TextDecoder on random bytes", () => {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const INTERESTING = [0x20, 0x61, 0x7f, 0x80, 0x85, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];

  it.each(SEEDS)("accepts exactly what the decoder accepts, cut anywhere (seed %i)", (seed) => {
    const random = seededRandom(seed * 31);
    for (let trial = 0; trial < 300; trial++) {
      const bytes = Uint8Array.from({ length: 1 + random(8) }, () => (random(2) === 0 ? INTERESTING[random(INTERESTING.length)]! : random(256)));
      let valid = true;
      try {
        decoder.decode(bytes);
      } catch {
        valid = false;
      }
      const count = () => countInChunks(bytes, random, 3);
      if (valid) expect(count().mostCommon(100)).toEqual(referenceTopWords(new TextDecoder().decode(bytes), 100));
      else expect(count).toThrow(InvalidUtf8Error);
    }
  });
});

describe("mostCommonIds", () => {
  it.each(SEEDS.slice(0, 10))("ranks as a stable sort by count descending (seed %i)", (seed) => {
    const random = seededRandom(seed * 101);
    const counts = Array.from({ length: random(500) }, () => 1 + random(1 + random(50)));
    const sorted = counts.map((_, id) => id).sort((a, b) => counts[b]! - counts[a]! || a - b);
    for (const n of [-5, 0, 1, 2, 7, counts.length - 1, counts.length, counts.length + 3]) {
      expect(mostCommonIds(counts.length, (id) => counts[id]!, n)).toEqual(sorted.slice(0, Math.max(n, 0)));
    }
  });
});

describe.skipIf(!PYTHON3_AVAILABLE)("countFile against the original Python algorithm on a random 3 MiB file", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "word-counter-fuzz-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the same output file (1 MiB reads end inside words and characters)", async () => {
    const random = seededRandom(2024);
    let text = "";
    while (Buffer.byteLength(text) < 3 * 2 ** 20) text += randomText(random, 20_000, 50_000);
    const input = join(dir, "random.txt");
    await writeFile(input, text);
    const env = { AZ_BATCH_NODE_ID: "n", AZ_BATCH_TASK_ID: "t", AZ_BATCH_JOB_ID: "j", AZ_BATCH_POOL_ID: "p" };
    const python = await runOriginalAlgorithm(input, join(dir, "python_OUTPUT.txt"), 500, env);
    expect(python).toEqual({ status: 0, stderr: "" });
    const counter = await countFile(input);
    const ours = formatOutput(counter.mostCommon(500), batchTaskIdentity(env));
    expect(ours).toBe(await readFile(join(dir, "python_OUTPUT.txt"), "utf8"));
  }, 60_000);
});
