import { describe, expect, it } from "vitest";
import { WordTable } from "../../../task/word-table.js";

const encoder = new TextEncoder();

describe("WordTable's batches", () => {
  it("counts queued words when read, in the order they came (ids by first occurrence)", () => {
    const table = new WordTable();
    const bytes = encoder.encode("b a b c");
    table.add(bytes, 0, 1);
    table.add(bytes, 2, 3);
    table.add(bytes, 4, 5);
    expect(table.size).toBe(2);
    expect([table.word(0), table.count(0), table.word(1), table.count(1)]).toEqual(["b", 2, "a", 1]);
  });

  it("counts a batch before words of another buffer are queued, so a buffer may be reused after flush", () => {
    const table = new WordTable();
    const first = encoder.encode("xy");
    table.add(first, 0, 2);
    table.add(encoder.encode("xy"), 0, 2);
    first.set(encoder.encode("zz"));
    expect(table.size).toBe(1);
    expect(table.count(0)).toBe(2);
  });

  it("grows its slots in the middle of a batch without losing or splitting a word", () => {
    const table = new WordTable();
    const words = Array.from({ length: 5000 }, (_, i) => `w${i % 2500}`);
    const bytes = encoder.encode(words.join(" "));
    let at = 0;
    for (const word of words) {
      table.add(bytes, at, at + word.length);
      at += word.length + 1;
    }
    expect(table.size).toBe(2500);
    expect(Array.from({ length: 2500 }, (_, id) => table.count(id)).every((count) => count === 2)).toBe(true);
    expect(table.word(2499)).toBe("w2499");
  });
});
