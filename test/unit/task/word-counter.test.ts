import { describe, expect, it } from "vitest";
import { PYTHON_PUNCTUATION, stripPunctuation, WordCounter } from "../../../task/word-counter.js";
import { referenceTopWords } from "./reference-top-words.js";

const PYTHON_WHITESPACE = Array.from(
  "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006" + "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000",
);

function count(text: string, n = Number.MAX_SAFE_INTEGER, chunkSize = text.length || 1): Array<[string, number]> {
  const counter = new WordCounter();
  for (let i = 0; i < text.length; i += chunkSize) counter.feed(text.slice(i, i + chunkSize));
  counter.end();
  return counter.mostCommon(n);
}

const SAMPLE =
  '\uFEFFBatch processing—it’s "simple", isn\'t it? (Yes!) ... Batch, batch; BATCH.\r\n' +
  "Tasks run on nodes\u00a0and\u3000nodes\u2029run tasks -- 😀 emoji😀 …";

describe("WordCounter", () => {
  it("counts words split on whitespace runs", () => {
    expect(count("the cat  the\n\n dog\tthe cat")).toEqual([
      ["the", 3],
      ["cat", 2],
      ["dog", 1],
    ]);
  });

  it("keeps the byte-order mark glued to the first word", () => {
    expect(count("\uFEFFBatch Batch")).toEqual([
      ["\uFEFFBatch", 1],
      ["Batch", 1],
    ]);
  });

  it.each(PYTHON_WHITESPACE.map((c) => [`U+${c.charCodeAt(0).toString(16).padStart(4, "0")}`, c]))("splits on %s", (_name, c) => {
    expect(count(`a${c}b${c}${c}a${c}`)).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
  });

  it.each([
    ["U+FEFF", "\uFEFF"],
    ["U+200B", "\u200B"],
    ["U+2060", "\u2060"],
    ["U+180E", "\u180E"],
  ])("does not split on %s", (_name, c) => {
    expect(count(`a${c}b a${c}b`)).toEqual([[`a${c}b`, 2]]);
  });

  it("strips all of string.punctuation from both ends, and nothing else", () => {
    expect(PYTHON_PUNCTUATION).toBe("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");
    expect(PYTHON_PUNCTUATION).toHaveLength(32);
    expect(stripPunctuation(`${PYTHON_PUNCTUATION}word${PYTHON_PUNCTUATION}`)).toBe("word");
    expect(stripPunctuation("—dash—")).toBe("—dash—");
    expect(stripPunctuation("’quote’")).toBe("’quote’");
    expect(stripPunctuation("wait…")).toBe("wait…");
    expect(stripPunctuation("«guillemets»")).toBe("«guillemets»");
    expect(stripPunctuation("...end…!")).toBe("end…");
  });

  it("keeps inner punctuation", () => {
    expect(count('"don\'t" (high-scale) --x-y-- a.b.c. tasks—processing')).toEqual([
      ["don't", 1],
      ["high-scale", 1],
      ["x-y", 1],
      ["a.b.c", 1],
      ["tasks—processing", 1],
    ]);
  });

  it("counts punctuation-only tokens as the empty word", () => {
    expect(count("hello ... , world !! --")).toEqual([
      ["", 4],
      ["hello", 1],
      ["world", 1],
    ]);
  });

  it("is case-sensitive", () => {
    expect(count("Storage storage STORAGE storage")).toEqual([
      ["storage", 2],
      ["Storage", 1],
      ["STORAGE", 1],
    ]);
  });

  it("breaks ties by first occurrence", () => {
    expect(count("b a c a b c d")).toEqual([
      ["b", 2],
      ["a", 2],
      ["c", 2],
      ["d", 1],
    ]);
    expect(count("x y z z y", 2)).toEqual([
      ["y", 2],
      ["z", 2],
    ]);
    expect(count("last first first last middle")).toEqual([
      ["last", 2],
      ["first", 2],
      ["middle", 1],
    ]);
  });

  it("lists all words when N exceeds the vocabulary, none when N <= 0", () => {
    expect(count("a b a", 100)).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
    expect(count("a b a", 2)).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
    expect(count("a b a", 0)).toEqual([]);
    expect(count("a b a", -1)).toEqual([]);
    expect(count("a b a", -100)).toEqual([]);
  });

  it("handles empty and whitespace-only input", () => {
    expect(count("")).toEqual([]);
    expect(count(" \n\t\u3000 ")).toEqual([]);
  });

  it("counts a last word that has no trailing whitespace", () => {
    expect(count("one two")).toEqual([
      ["one", 1],
      ["two", 1],
    ]);
  });

  it("gives the same result whatever the chunking, tokens spanning chunk boundaries included", () => {
    const whole = count(SAMPLE);
    expect(whole).toEqual(referenceTopWords(SAMPLE, Number.MAX_SAFE_INTEGER));
    for (const chunkSize of [1, 2, 3, 5, 7, 13]) expect(count(SAMPLE, undefined, chunkSize)).toEqual(whole);
  });

  it("joins a surrogate pair split across chunks", () => {
    const counter = new WordCounter();
    const emoji = "😀";
    counter.feed(`a${emoji[0]}`);
    counter.feed(`${emoji[1]}b a😀b`);
    counter.end();
    expect(counter.mostCommon(5)).toEqual([[`a${emoji}b`, 2]]);
  });

  it("keeps only the vocabulary, not the text", () => {
    const counter = new WordCounter();
    for (let i = 0; i < 100_000; i++) counter.feed("alpha beta, gamma! ");
    counter.end();
    expect(counter.vocabularySize).toBe(3);
    expect(counter.mostCommon(1)).toEqual([["alpha", 100_000]]);
  });
});
