/**
 * An independent, whole-text reference of the original algorithm, used by the tests to
 * check the streaming modules: one explicit regular expression for Python's whitespace,
 * one for ASCII punctuation at the ends, and an explicit (count, first index) sort.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// eslint-disable-next-line no-control-regex -- Python's str.split() treats the separators \x1c-\x1f as whitespace
const PYTHON_WHITESPACE_RUN = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
const EDGE_PUNCTUATION = /^[!-/:-@[-`{-~]+|[!-/:-@[-`{-~]+$/g;

/** The tutorial's three input files, kept in the repository as fixtures. */
export const TUTORIAL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../fixtures/tutorial");
export const TUTORIAL_FILES = ["taskdata1.txt", "taskdata2.txt", "taskdata3.txt"];

export function referenceWords(text: string): string[] {
  return text
    .split(PYTHON_WHITESPACE_RUN)
    .filter((token) => token !== "")
    .map((token) => token.replace(EDGE_PUNCTUATION, ""));
}

export function referenceTopWords(text: string, n: number): Array<[string, number]> {
  const firstIndex = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const word of referenceWords(text)) {
    if (!firstIndex.has(word)) firstIndex.set(word, firstIndex.size);
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const ranked = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || firstIndex.get(a)! - firstIndex.get(b)!);
  return n > 0 ? ranked.slice(0, n).map((word) => [word, counts.get(word)!]) : [];
}

export interface ReferenceIds {
  node: string;
  task: string;
  job: string;
  pool: string;
}

export function referenceOutput(text: string, n: number, ids: ReferenceIds): string {
  const dashes = "------------------------------";
  let out = `Word\tCount\n${dashes}\n`;
  for (const [word, count] of referenceTopWords(text, n)) out += word + ":\t" + count + "\n";
  out += `${dashes}\nNode: ${ids.node}\nTask: ${ids.task}\nJob:  ${ids.job}\nPool: ${ids.pool}\n`;
  return out;
}
