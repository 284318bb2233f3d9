import { describe, expect, it } from "vitest";
import { globToRegExp } from "../../../src/backends/local/execution/glob.js";

describe("globToRegExp", () => {
  const cases: [string, string[], string[]][] = [
    ["*.txt", ["a.txt", "b_OUTPUT.txt"], ["dir/a.txt", "a.txt.bak"]],
    ["**/*.txt", ["a.txt", "dir/a.txt", "x/y/z.txt"], ["a.log"]],
    ["out/**", ["out/a", "out/x/y"], ["other/a"]],
    ["file?.log", ["file1.log"], ["file12.log", "file/.log"]],
    ["[ab].txt", ["a.txt", "b.txt"], ["c.txt"]],
    ["[!ab].txt", ["c.txt"], ["a.txt"]],
    ["../std*.txt", ["../stdout.txt", "../stderr.txt"], ["stdout.txt"]],
    ["a+b(1).txt", ["a+b(1).txt"], ["aab1.txt"]],
  ];
  for (const [pattern, matches, misses] of cases) {
    it(`${pattern} matches ${matches.join(", ")} and not ${misses.join(", ")}`, () => {
      const re = globToRegExp(pattern);
      for (const name of matches) expect(re.test(name), name).toBe(true);
      for (const name of misses) expect(re.test(name), name).toBe(false);
    });
  }
});
