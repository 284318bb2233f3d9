/**
 * Job preparation, release and manager tasks through the Python SDK (Debian's python3-azure,
 * azure-batch 13) against the in-process server on a fake node runtime; the script is
 * test/clients/python/job_preparation.py.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithPython, pythonClientScript } from "../../support/describe-with-python.js";
import { runPythonSummary } from "../../support/python-client.js";
import { TestBed } from "../../support/test-bed.js";

const SCRIPT = pythonClientScript("job_preparation.py");

/** A Python interpreter and the SDK load slowly on a busy machine. */
const TIMEOUT_MS = 60_000;

describeWithPython("job preparation and release tasks through the Python SDK", () => {
  let bed: TestBed;

  beforeAll(async () => {
    bed = await TestBed.start({ server: true });
    await bed.addPool("p");
  });

  afterAll(async () => {
    await bed?.close();
  });

  it(
    "runs them as the service does and reports their status per node",
    async () => {
      const [node] = await bed.batch.computeNode.list("p");
      const summary = await runPythonSummary<Record<string, unknown>>(SCRIPT, bed.account);
      expect(summary.prepared).toEqual({
        poolId: "p",
        nodeId: node?.id,
        preparation: { state: "completed", exitCode: 0, result: "success", retryCount: 0, taskRootDirectory: "workitems/prepared/job-1/jobpreparation" },
        release: null,
      });
      expect(summary.released).toEqual({ state: "completed", exitCode: 0, result: "success" });
      expect(summary.failed).toEqual({ state: "completed", exitCode: 1, result: "failure", retryCount: 1, taskRootDirectory: "workitems/failing/job-1/setup" });
      expect(summary.failedTask).toBe("active");
      expect(summary.managed).toEqual({ terminateReason: "JMComplete", tasks: ["manager"] });
      expect(summary.errors).toEqual({
        statusWithoutPreparation: "JobPreparationTaskNotSpecified",
        taskWithPreparationId: "TaskIdSameAsJobPreparationTask",
        releaseWithoutPreparation: "InvalidPropertyValue",
      });
    },
    TIMEOUT_MS,
  );
});
