/**
 * An auto pool as Microsoft's sample4_job_scheduler asks for one, through the Python SDK (Debian's
 * python3-azure, azure-batch 13.0.1) against the in-process server on the fake node runtime:
 * test/clients/python/auto_pool_scheduler.py.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithPython, pythonClientScript } from "../../support/describe-with-python.js";
import { runPythonSummary } from "../../support/python-client.js";
import { TestBed } from "../../support/test-bed.js";

const SCRIPT = pythonClientScript("auto_pool_scheduler.py");

describeWithPython("auto pools through the Python SDK", () => {
  let bed: TestBed;

  beforeAll(async () => {
    bed = await TestBed.start({ server: true });
  });

  afterAll(async () => {
    await bed?.close();
  });

  it("a job schedule's jobs get an auto pool with the prefix, run their job manager there, and the pool goes with the job", { timeout: 120_000 }, async () => {
    const summary = await runPythonSummary<Record<string, unknown>>(SCRIPT, bed.account);
    expect(summary).toEqual({
      job: "scheduler:job-1",
      prefixed: true,
      poolInfo: { prefix: "JobScheduler", lifetime: "job", keepAlive: false, vmSize: "STANDARD_D2S_V3" },
      manager: { exitCode: 0, onAutoPool: true },
      ended: { state: "completed", reason: "JMComplete" },
      poolDeleted: true,
    });
  });
});
