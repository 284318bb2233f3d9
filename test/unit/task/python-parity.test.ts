import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countFile, InvalidUtf8Error } from "../../../task/count-file.js";
import { batchTaskIdentity, formatOutput } from "../../../task/format-output.js";
import { pythonSplitext } from "../../../task/output-name.js";
import { isPythonWhitespace } from "../../../task/python-whitespace.js";
import { PYTHON_PUNCTUATION } from "../../../task/word-counter.js";
import { PYTHON3_AVAILABLE, runOriginalPython, type OriginalRun } from "./original-python-task.js";
import { TUTORIAL_DIR, TUTORIAL_FILES } from "./reference-top-words.js";

const ENV = {
  AZ_BATCH_NODE_ID: "tvm-1_2-20240101t000000z",
  AZ_BATCH_TASK_ID: "topNtask2",
  AZ_BATCH_JOB_ID: "PythonTutorialJob",
  AZ_BATCH_POOL_ID: "PythonTutorialPool",
};

const WHITESPACE =
  "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006" + "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

/** Every whitespace character, the BOM, punctuation-only tokens, ties, CRLF, non-ASCII. */
const TRICKY =
  "\uFEFF\uFEFFword word\r\nWord WORD word. ,word, ... !!! - \u200Bzero\u200Bwidth\u200B zero\u200Bwidth " +
  [...WHITESPACE].map((c, i) => `w${i}${c}tie${c}`).join("") +
  "don't 'quoted' \"double\" (paren) [bracket] {brace} <angle> high-scale --dash-- " +
  "tasks—processing —em— ’curly’ ‘curly’ «guil» wait… ¡hola! ¿qué? naïve cafe\u0301 café 東京 😀 😀! x😀x " +
  "\u00ad \u2060joined\u2060 \u180e mongolian\u180eseparator \u0000nul\u0000 \x1bescape tail\rcr\rcr";

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function fuzzText(seed: number): string {
  const random = seededRandom(seed);
  const pieces = ["a", "b", "A", "é", "😀", "\uFEFF", "\u200B", "—", "’", "…", "'", ".", "-", "!", "_", "~", "\\", ...WHITESPACE];
  let text = "";
  for (let i = 0; i < 3000; i++) text += pieces[Math.floor(random() * pieces.length)];
  return text;
}

const TUTORIAL_TOPS = [3, 0, -1, 1, 10_000];
const TRICKY_TOPS = [3, 0, -2, 10, 1000];
const FUZZ_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const INVALID_UTF8: Array<[string, number[]]> = [
  ["a lone 0xFF byte", [0x61, 0x20, 0xff]],
  ["a truncated sequence", [0x61, 0x20, 0xe2, 0x82]],
  ["an encoded surrogate", [0xed, 0xb0, 0x80]],
  ["an overlong encoding", [0xe0, 0x80, 0xaf]],
  ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
];
const SPLITEXT_NAMES = [
  "taskdata1.txt",
  "a.tar.gz",
  "README",
  ".profile",
  "..x",
  "...",
  "a.",
  "a..",
  "dir.d/file",
  "dir/.hidden.txt",
  "./x.txt",
  "/abs/p.q/r",
  "..a.b",
  "",
  "x/..",
  "x/.y.",
  "a b.c d",
];
/** What python prints for each question, asked in the same python3 process as the cases. */
const EXPRESSIONS = {
  whitespace: "''.join(chr(c) for c in range(0x110000) if chr(c).isspace())",
  punctuation: "string.punctuation",
  splitext: `__import__('json').dumps([list(os.path.splitext(n)) for n in ${JSON.stringify(SPLITEXT_NAMES)}])`,
};

/** One run of the original algorithm, by the name its test looks it up with. */
interface OriginalCaseRun {
  inputFile: string;
  pythonFile: string;
  python: OriginalRun;
}

let dir: string;
const original = new Map<string, OriginalCaseRun>();
let printed: Record<keyof typeof EXPRESSIONS, string>;

/** Writes the generated inputs and runs every case and expression through ONE python3 process. */
async function runEveryCaseInPython(): Promise<void> {
  const inputs: Array<{ key: string; inputFile: string; n: number }> = [];
  for (const file of TUTORIAL_FILES) for (const n of TUTORIAL_TOPS) inputs.push({ key: `${file} ${n}`, inputFile: join(TUTORIAL_DIR, file), n });
  await writeFile(join(dir, "tricky.txt"), TRICKY);
  for (const n of TRICKY_TOPS) inputs.push({ key: `tricky ${n}`, inputFile: join(dir, "tricky.txt"), n });
  for (const seed of FUZZ_SEEDS) {
    await writeFile(join(dir, `fuzz-${seed}.txt`), fuzzText(seed));
    inputs.push({ key: `fuzz ${seed}`, inputFile: join(dir, `fuzz-${seed}.txt`), n: 25 });
  }
  for (const [name, bytes] of INVALID_UTF8) {
    const inputFile = join(dir, `invalid-${name.replaceAll(" ", "-")}.txt`);
    await writeFile(inputFile, Uint8Array.from(bytes));
    inputs.push({ key: `invalid ${name}`, inputFile, n: 3 });
  }
  const cases = inputs.map(({ inputFile, n }, i) => ({ inputFile, outputFile: join(dir, `python-${i}_OUTPUT.txt`), numwords: n, env: ENV }));
  const results = await runOriginalPython({ cases, expressions: Object.values(EXPRESSIONS) });
  inputs.forEach(({ key, inputFile }, i) => original.set(key, { inputFile, pythonFile: cases[i]!.outputFile, python: results.runs[i]! }));
  const keys = Object.keys(EXPRESSIONS) as Array<keyof typeof EXPRESSIONS>;
  printed = Object.fromEntries(keys.map((key, i) => [key, results.printed[i]!])) as typeof printed;
}

async function expectSameOutput(key: string, n: number): Promise<void> {
  const { inputFile, pythonFile, python } = original.get(key)!;
  expect(python.stderr).toBe("");
  expect(python.status).toBe(0);
  const oursFile = join(dir, "ours_OUTPUT.txt");
  const counter = await countFile(inputFile);
  await writeFile(oursFile, formatOutput(counter.mostCommon(n), batchTaskIdentity(ENV)));
  const [ours, theirs] = await Promise.all([readFile(oursFile), readFile(pythonFile)]);
  expect(ours.toString()).toBe(theirs.toString());
  expect(ours.equals(theirs)).toBe(true);
}

const title = PYTHON3_AVAILABLE
  ? "byte-for-byte parity with the original Python algorithm"
  : "byte-for-byte parity with the original Python algorithm — SKIPPED: python3 not found on PATH";

describe.skipIf(!PYTHON3_AVAILABLE)(title, () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "python-parity-"));
    await runEveryCaseInPython();
  }, 60_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe.each(TUTORIAL_FILES)("on %s", (file) => {
    it.each(TUTORIAL_TOPS)("top %i", async (n) => {
      await expectSameOutput(`${file} ${n}`, n);
    });
  });

  it.each(TRICKY_TOPS)("on a tricky generated file, top %i", async (n) => {
    await expectSameOutput(`tricky ${n}`, n);
  });

  it.each(FUZZ_SEEDS)("on random text (seed %i)", async (seed) => {
    await expectSameOutput(`fuzz ${seed}`, 25);
  });

  it.each(INVALID_UTF8)("rejects the same invalid UTF-8 as Python: %s", async (name) => {
    const { inputFile, python } = original.get(`invalid ${name}`)!;
    expect(python.status).not.toBe(0);
    expect(python.stderr).toContain("UnicodeDecodeError");
    await expect(countFile(inputFile)).rejects.toBeInstanceOf(InvalidUtf8Error);
  });

  it("has the same whitespace set as str.isspace() over all of Unicode", () => {
    const python = printed.whitespace;
    let ours = "";
    for (let code = 0; code <= 0xffff; code++) if (isPythonWhitespace(code)) ours += String.fromCharCode(code);
    expect(ours).toBe(python);
  });

  it("has the same punctuation as string.punctuation", () => {
    expect(PYTHON_PUNCTUATION).toBe(printed.punctuation);
  });

  it("splits extensions as os.path.splitext", () => {
    const python = JSON.parse(printed.splitext) as [string, string][];
    expect(SPLITEXT_NAMES.map(pythonSplitext)).toEqual(python);
  });
});
