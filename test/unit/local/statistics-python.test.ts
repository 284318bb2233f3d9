/**
 * Statistics through the Python SDK (Debian's python3-azure, azure-batch 13.0.1) against the
 * in-process server on the fake node runtime: test/clients/python/statistics.py.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithPython, pythonClientScript } from "../../support/describe-with-python.js";
import { runPythonSummary } from "../../support/python-client.js";
import { TestBed } from "../../support/test-bed.js";

describeWithPython("statistics through the Python SDK", () => {
  let bed: TestBed;

  beforeAll(async () => {
    bed = await TestBed.start({ server: true });
  });

  afterAll(async () => {
    await bed?.close();
  });

  it("$expand=stats on a job, a task and a pool, and the lifetime statistics", { timeout: 120_000 }, async () => {
    const summary = await runPythonSummary<Record<string, unknown>>(pythonClientScript("statistics.py"), bed.account);
    expect(summary).toEqual({
      plainJob: true,
      job: [1, 1, 0, "0:00:00"],
      task: ["0:00:00", 0, true],
      pool: ["0:00:00", true],
      lifetimeJobs: [1, 1, true],
      lifetimePools: "0:00:00",
    });
  });
});
