/** Task dependencies, exit conditions and job disable/enable through Debian's azure-batch 13.0.1, Docker-free. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithPython, pythonClientScript } from "../../support/describe-with-python.js";
import { runPythonSummary } from "../../support/python-client.js";
import { TestBed } from "../../support/test-bed.js";

const SCRIPT = pythonClientScript("task_dependencies.py");

describeWithPython("azure-batch 13 (Python): task dependencies, exit conditions, job disable/enable", () => {
  let bed: TestBed;

  beforeAll(async () => {
    bed = await TestBed.start({ server: true });
    await bed.addPool("pool", { taskSlotsPerNode: 4 });
  });

  afterAll(async () => {
    await bed?.close();
  });

  it("runs a dependency graph, refuses dependsOn without usesTaskDependencies, terminates on failure, disables and enables", async () => {
    const summary = await runPythonSummary<Record<string, unknown>>(SCRIPT, bed.account, { MALACHITE_POOL_ID: "pool" }, 60_000);
    expect(summary).toEqual({
      graph_added: ["success", "success", "success", "success", "success", "success"],
      merge_after_parents: true,
      merge_depends_on: { task_ids: ["a", "b"], ranges: [[1, 2]] },
      tolerated_exit_code: 1,
      graph_job_state: "active",
      plain_error: "TaskDependenciesNotSpecifiedOnJob",
      failing_terminate_reason: "TaskFailed",
      while_disabled: "active",
      after_enable: "active",
      paused_task: "success",
    });
  }, 70_000);
});
