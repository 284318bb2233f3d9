import { describe, expect, it } from "vitest";
import { formatDuration } from "../../../src/workflow/format-duration.js";
import { parseTutorialArgs } from "../../../src/cli/parse-tutorial-args.js";

describe("formatDuration", () => {
  it("prints like Python's timedelta", () => {
    expect(formatDuration(20 * 60_000)).toBe("0:20:00");
    expect(formatDuration(3_723_999)).toBe("1:02:03");
  });
});

describe("tutorial arguments", () => {
  it("has the tutorial's defaults", () => {
    const args = parseTutorialArgs([]);
    expect(args).toMatchObject({ numWords: 3, nodes: 1, cleanup: "ask", timeoutMs: 20 * 60_000, pollMs: 1000 });
  });

  it("reads repeated inputs and the cleanup choice", () => {
    const args = parseTutorialArgs(["--input", "a.txt", "--input", "b.txt", "--numwords", "5", "--nodes", "2", "--yes", "--backend", "local"]);
    expect(args.inputFiles).toEqual(["a.txt", "b.txt"]);
    expect(args).toMatchObject({ numWords: 5, nodes: 2, cleanup: "yes", flags: { backend: "local" } });
    expect(parseTutorialArgs(["--keep"]).cleanup).toBe("keep");
  });

  it("rejects bad numbers, unknown flags and --yes with --keep", () => {
    expect(() => parseTutorialArgs(["--nodes", "0"])).toThrow(/--nodes must be an integer of at least 1/);
    expect(() => parseTutorialArgs(["--numwords", "x"])).toThrow(/--numwords/);
    expect(() => parseTutorialArgs(["--bogus"])).toThrow();
    expect(() => parseTutorialArgs(["--yes", "--keep"])).toThrow(/exclude each other/);
  });
});
