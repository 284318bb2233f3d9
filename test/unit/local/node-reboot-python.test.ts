/**
 * Node reboot, reimage and scheduling through the Python SDK (Debian's python3-azure, azure-batch
 * 13.0.1) against the in-process server on the fake node runtime: test/clients/python/node_reboot.py.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IN_CI, missingPythonClient, runPythonSummary } from "../../support/python-client.js";
import { TestBed } from "../../support/test-bed.js";

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../clients/python/node_reboot.py");

const missing = missingPythonClient();
if (missing && !IN_CI) console.warn(`node-reboot-python.test.ts skipped: ${missing}`);

describe.skipIf(missing !== undefined && !IN_CI)(`node reboot through the Python SDK${missing ? ` [${missing}]` : ""}`, () => {
  let bed: TestBed;
  let setups = 0;

  beforeAll(async () => {
    if (missing) throw new Error(`CI=${process.env.CI}: the Python client must be installed (.ci/run installs python3-azure): ${missing}`);
    bed = await TestBed.start({ server: true });
    bed.runtime.programs.set("setup", () => {
      setups++;
      return {};
    });
    await bed.addPool("p", { startTask: { commandLine: "setup" } });
  });

  afterAll(async () => {
    await bed?.close();
  });

  it("reboot (requeue), reimage (terminate), disable and enable scheduling, remote login settings", { timeout: 120_000 }, async () => {
    const summary = await runPythonSummary<Record<string, unknown>>(SCRIPT, bed.account);
    expect(summary).toEqual({
      rebooted: { startTask: "success", requeueCount: 1 },
      reimaged: { result: "failure", failure: "TaskEnded" },
      disabled: ["offline", "disabled"],
      disabledAgain: "NodeAlreadyInTargetSchedulingState",
      enabled: ["idle", "enabled"],
      remoteLogin: ["127.0.0.1", 22],
      errors: { missingNode: "NodeNotFound" },
    });
    expect(setups).toBe(3);
  });
});
