/**
 * Job schedules through the Python SDK (Debian's python3-azure, azure-batch 13.0.1) against the
 * in-process server on the fake node runtime: test/clients/python/job_schedules.py.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithPython, pythonClientScript } from "../../support/describe-with-python.js";
import { runPythonSummary } from "../../support/python-client.js";
import { TestBed } from "../../support/test-bed.js";

const SCRIPT = pythonClientScript("job_schedules.py");

describeWithPython("job schedules through the Python SDK", () => {
  let bed: TestBed;

  beforeAll(async () => {
    bed = await TestBed.start({ server: true });
  });

  afterAll(async () => {
    await bed?.close();
  });

  it("add, get, exists, list, patch, update, disable, enable, terminate, delete and list_from_job_schedule", { timeout: 120_000 }, async () => {
    const summary = await runPythonSummary<Record<string, unknown>>(SCRIPT, bed.account);
    expect(summary).toEqual({
      added: { state: "active", recentJob: "nightly:job-1", interval: "1:00:00", nextRunTime: true },
      exists: [true, false],
      jobs: [["nightly:job-1", 4]],
      listed: ["later", "nightly"],
      laterJobs: [],
      laterNextRun: "2099-01-01T00:00:00+00:00",
      patched: { metadata: [["k", "v"]], doNotRunUntil: "2099-01-01T00:00:00+00:00" },
      updated: { metadata: null, poolId: "other" },
      disabled: "disabled",
      enabled: "active",
      terminated: { job: "completed", reason: "TerminateJobSchedule" },
      afterDelete: ["nightly"],
      errors: { missing: [404, "JobScheduleNotFound"], duplicate: [409, "JobScheduleExists"], tooOften: [400, "InvalidPropertyValue"] },
    });
  });
});
