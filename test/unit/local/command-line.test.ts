import { describe, expect, it } from "vitest";
import { splitCommandLine } from "../../../src/backends/local/execution/command-line.js";
import { isBatchError } from "../../../src/core/batch-error.js";
import { wrapCommandsInShell } from "../../../src/workflow/shell-commands.js";

describe("splitCommandLine", () => {
  it("splits on whitespace and keeps variables and globs literal", () => {
    expect(splitCommandLine("echo  $HOME *.txt\tdone")).toEqual(["echo", "$HOME", "*.txt", "done"]);
  });

  it("honours single quotes, double quotes and backslashes as a shell tokenizer does", () => {
    expect(splitCommandLine(`printf '%s\\n' "a b" c\\ d "q\\"uote" 'it'\\''s' ""`)).toEqual(["printf", "%s\\n", "a b", "c d", 'q"uote', "it's", ""]);
  });

  it("gives bash the tutorial's wrapped script as one argument", () => {
    const wrapped = wrapCommandsInShell(["cp -p task.js $AZ_BATCH_NODE_SHARED_DIR", "echo 'done'"]);
    expect(splitCommandLine(wrapped)).toEqual(["/bin/bash", "-c", "set -e; set -o pipefail; cp -p task.js $AZ_BATCH_NODE_SHARED_DIR;echo 'done'; wait"]);
  });

  it("rejects an unterminated quote and an empty command line with InvalidPropertyValue", () => {
    for (const bad of [`echo 'oops`, `echo "oops`, "   "]) {
      let caught: unknown;
      try {
        splitCommandLine(bad);
      } catch (error) {
        caught = error;
      }
      expect(isBatchError(caught, "InvalidPropertyValue")).toBe(true);
    }
  });
});
