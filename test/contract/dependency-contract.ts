import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/core/backend.js";
import { BatchError } from "../../src/core/batch-error.js";
import type { CloudTask, JobAddParameter, TaskAddParameter } from "../../src/core/models/index.js";
import { CONTRACT_SCRIPTS, type ContractTarget, CONTRACT_SETUP_TIMEOUT_MS } from "./backend-contract.js";
import { uniqueId, waitUntil as realTimeWaitUntil } from "./wait-until.js";

const bash = (script: string) => `/bin/bash -c '${script.replace(/'/g, `'\\''`)}'`;

/**
 * Task dependencies, exit conditions' actions and job disable/enable, as every backend owes them,
 * through the backend interface only (the same ContractTarget as backend-contract.ts).
 */
export function describeDependencyContract(target: ContractTarget): void {
  describe(`dependency contract: ${target.name}`, () => {
    let backend: Backend;
    let poolId: string;
    const waitUntil = target.waitUntil ?? realTimeWaitUntil;
    const letTimePass = target.letTimePass ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

    beforeAll(async () => {
      backend = await target.start();
      poolId = uniqueId("pool");
      await backend.batch.pool.add({ id: poolId, vmSize: "standard_d2s_v3", targetDedicatedNodes: 1, taskSlotsPerNode: 2 });
      await waitUntil(
        () => backend.batch.computeNode.list(poolId),
        (nodes) => nodes.length === 1 && nodes[0]?.state === "idle",
        { timeoutMs: target.nodeTimeoutMs, what: "an idle node" },
      );
    }, CONTRACT_SETUP_TIMEOUT_MS);

    afterAll(async () => {
      await backend?.close();
    });

    async function jobWith(tasks: TaskAddParameter[], options: Partial<JobAddParameter> = {}): Promise<string> {
      const jobId = uniqueId("job");
      await backend.batch.job.add({ id: jobId, poolInfo: { poolId }, usesTaskDependencies: true, ...options });
      const results = await backend.batch.task.addCollection(jobId, tasks);
      expect(results.map((result) => result.status)).toEqual(tasks.map(() => "success"));
      return jobId;
    }

    function completed(jobId: string, taskIds: string[], what: string): Promise<CloudTask[]> {
      return waitUntil(
        async () => (await backend.batch.task.list(jobId)).filter((task) => taskIds.includes(task.id)),
        (tasks) => tasks.length === taskIds.length && tasks.every((task) => task.state === "completed"),
        { what },
      );
    }

    it("runs a fan-out and fan-in in dependency order", async () => {
      const jobId = await jobWith([
        { id: "merge", commandLine: "/bin/true", dependsOn: { taskIds: ["a", "b"], taskIdRanges: [{ start: 1, end: 2 }] } },
        { id: "split", commandLine: "/bin/true" },
        { id: "a", commandLine: "/bin/true", dependsOn: { taskIds: ["split"] } },
        { id: "b", commandLine: "/bin/true", dependsOn: { taskIds: ["split"] } },
        { id: "1", commandLine: "/bin/true", dependsOn: { taskIds: ["split"] } },
        { id: "02", commandLine: "/bin/true", dependsOn: { taskIds: ["split"] } },
      ]);
      const tasks = await completed(jobId, ["merge", "split", "a", "b", "1", "02"], "every task of the graph to complete");
      const byId = new Map(tasks.map((task) => [task.id, task]));
      const started = (id: string) => Date.parse(byId.get(id)?.executionInfo.startTime ?? "");
      const ended = (id: string) => Date.parse(byId.get(id)?.executionInfo.endTime ?? "");
      for (const id of ["a", "b", "1", "02"]) expect(started(id)).toBeGreaterThanOrEqual(ended("split"));
      for (const id of ["a", "b", "1", "02"]) expect(started("merge")).toBeGreaterThanOrEqual(ended(id));
      expect(tasks.every((task) => task.executionInfo.result === "success")).toBe(true);
    });

    it("keeps the dependents of a failed task waiting, unless its exit conditions satisfy them", async () => {
      const jobId = await jobWith([
        { id: "fails", commandLine: bash(CONTRACT_SCRIPTS.exit3) },
        { id: "blocked", commandLine: "/bin/true", dependsOn: { taskIds: ["fails"] } },
        {
          id: "tolerated",
          commandLine: bash(CONTRACT_SCRIPTS.exit3),
          exitConditions: { exitCodes: [{ code: 3, exitOptions: { dependencyAction: "satisfy" } }] },
        },
        { id: "runs", commandLine: "/bin/true", dependsOn: { taskIds: ["tolerated"] } },
      ]);
      await completed(jobId, ["fails", "tolerated", "runs"], "the tolerated failure's dependent to complete");
      expect((await backend.batch.task.get(jobId, "blocked")).state).toBe("active");
    });

    it("terminates a job with performexitoptionsjobaction when a task fails (TaskFailed)", async () => {
      const jobId = await jobWith([{ id: "fails", commandLine: bash(CONTRACT_SCRIPTS.exit3) }], { onTaskFailure: "performexitoptionsjobaction" });
      const job = await waitUntil(
        () => backend.batch.job.get(jobId),
        (value) => value.state === "completed",
        { what: "the job to complete" },
      );
      expect(job.executionInfo.terminateReason).toBe("TaskFailed");
    });

    it("disables a job (no task starts) and enables it again", async () => {
      const jobId = await jobWith([]);
      await backend.batch.job.disable(jobId, "requeue");
      await waitUntil(
        () => backend.batch.job.get(jobId),
        (job) => job.state === "disabled",
        { what: "the job to be disabled" },
      );
      await backend.batch.task.add(jobId, { id: "held", commandLine: "/bin/true" });
      await letTimePass(2_000);
      expect((await backend.batch.task.get(jobId, "held")).state).toBe("active");
      await backend.batch.job.enable(jobId);
      await completed(jobId, ["held"], "the task to run once the job is enabled");
      expect((await backend.batch.job.get(jobId)).state).toBe("active");
    });

    it("refuses dependsOn in a job without usesTaskDependencies", async () => {
      const jobId = uniqueId("job");
      await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
      const error = await backend.batch.task.add(jobId, { id: "t", commandLine: "/bin/true", dependsOn: { taskIds: ["a"] } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BatchError);
      expect(error).toMatchObject({ statusCode: 400, code: "TaskDependenciesNotSpecifiedOnJob" });
    });
  });
}
