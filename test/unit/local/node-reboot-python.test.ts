/**
 * Node reboot, reimage and scheduling through the Python SDK (Debian's python3-azure, azure-batch
 * 13.0.1) against the in-process server on the fake node runtime: test/clients/python/node_reboot.py.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithPython, pythonClientScript } from "../../support/describe-with-python.js";
import { runPythonSummary } from "../../support/python-client.js";
import { TestBed } from "../../support/test-bed.js";

const SCRIPT = pythonClientScript("node_reboot.py");

describeWithPython("node reboot through the Python SDK", () => {
  let bed: TestBed;
  let setups = 0;

  beforeAll(async () => {
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
