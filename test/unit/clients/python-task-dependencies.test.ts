/** Task dependencies, exit conditions and job disable/enable through Debian's azure-batch 13.0.1, Docker-free. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IN_CI, missingPythonClient, runPythonSummary } from "../../support/python-client.js";
import { TestBed } from "../../support/test-bed.js";

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../clients/python/task_dependencies.py");
const missing = missingPythonClient();
if (missing && !IN_CI) console.warn(`skipping the Python SDK dependency test: ${missing}`);

describe.skipIf(missing !== undefined && !IN_CI)("azure-batch 13 (Python): task dependencies, exit conditions, job disable/enable", () => {
  let bed: TestBed;

  beforeAll(async () => {
    if (missing) throw new Error(`the Python client is required in CI: ${missing}`);
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
