import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe } from "vitest";
import { IN_CI, missingPythonClient } from "./python-client.js";

/** A script of test/clients/python/, by file name. */
export function pythonClientScript(name: string): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), "../clients/python", name);
}

/**
 * A block of tests that drive Debian's Python SDK (python3-azure). Outside CI it is skipped with a
 * warning when the client is missing; in CI (.ci/run installs it) a missing client fails the block.
 */
export function describeWithPython(title: string, body: () => void): void {
  const missing = missingPythonClient();
  if (missing && !IN_CI) console.warn(`${title}: skipped, ${missing}`);
  describe.skipIf(missing !== undefined && !IN_CI)(`${title}${missing ? ` [${missing}]` : ""}`, () => {
    beforeAll(() => {
      if (missing) throw new Error(`CI=${process.env.CI}: the Python client must be installed (.ci/run installs python3-azure): ${missing}`);
    });
    body();
  });
}
