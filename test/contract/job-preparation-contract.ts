import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/core/backend.js";
import type { CloudJob, CloudTask, JobAddParameter } from "../../src/core/models/index.js";
import type { ContractTarget } from "./backend-contract.js";
import { uniqueId, waitUntil as realTimeWaitUntil } from "./wait-until.js";
import { rejection } from "./batch-rejection.js";

/**
 * Job preparation, release and manager tasks as every backend owes them, through the backend
 * interface only; the commands are plain programs (`/bin/true`, `/bin/false`), found on every node.
 */
export function describeJobPreparationContract(target: ContractTarget): void {
  describe(`job preparation, release and manager tasks: ${target.name}`, () => {
    let backend: Backend;
    let poolId: string;
    const waitUntil = target.waitUntil ?? realTimeWaitUntil;

    beforeAll(
      async () => {
        backend = await target.start();
        poolId = uniqueId("prep-pool");
        await backend.batch.pool.add({ id: poolId, vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
        await waitUntil(
          () => backend.batch.computeNode.list(poolId),
          (nodes) => nodes.length === 1 && nodes[0]?.state === "idle",
          { timeoutMs: target.nodeTimeoutMs, what: "an idle node" },
        );
        // A backend of its own and its node: allow for a loaded machine beyond the node's own time.
      },
      Math.max(60_000, 2 * target.nodeTimeoutMs + 30_000),
    );

    afterAll(async () => {
      await backend?.close();
    });

    async function addJob(extra: Omit<JobAddParameter, "id" | "poolInfo">): Promise<string> {
      const jobId = uniqueId("job");
      await backend.batch.job.add({ id: jobId, poolInfo: { poolId }, ...extra });
      return jobId;
    }

    const taskIn = (jobId: string, taskId: string, done: (task: CloudTask) => boolean, what: string) =>
      waitUntil(() => backend.batch.task.get(jobId, taskId), done, { timeoutMs: target.nodeTimeoutMs, what });
    const jobIn = (jobId: string, state: CloudJob["state"]) =>
      waitUntil(
        () => backend.batch.job.get(jobId),
        (job) => job.state === state,
        { timeoutMs: target.nodeTimeoutMs, what: `job ${jobId} ${state}` },
      );

    it("runs the preparation task before the job's task, and the release task when the job is terminated", async () => {
      const jobId = await addJob({ jobPreparationTask: { commandLine: "/bin/true" }, jobReleaseTask: { commandLine: "/bin/true" } });
      await backend.batch.task.add(jobId, { id: "t", commandLine: "/bin/true" });
      const task = await taskIn(jobId, "t", (t) => t.state === "completed", "the task to complete");
      expect(task.executionInfo.result).toBe("success");
      const [prepared] = await backend.batch.job.listPreparationAndReleaseTaskStatus(jobId);
      expect(prepared).toMatchObject({ poolId, nodeId: task.nodeInfo?.nodeId });
      expect(prepared?.jobPreparationTaskExecutionInfo).toMatchObject({
        state: "completed",
        exitCode: 0,
        result: "success",
        retryCount: 0,
        taskRootDirectory: `workitems/${jobId}/job-1/jobpreparation`,
      });
      await backend.batch.job.terminate(jobId);
      await jobIn(jobId, "completed");
      const [released] = await backend.batch.job.listPreparationAndReleaseTaskStatus(jobId);
      expect(released?.jobReleaseTaskExecutionInfo).toMatchObject({ state: "completed", exitCode: 0, result: "success" });
      await backend.batch.job.delete(jobId);
    });

    it("keeps the job's tasks off a node where its preparation task failed", async () => {
      const jobId = await addJob({ jobPreparationTask: { commandLine: "/bin/false" } });
      await backend.batch.task.add(jobId, { id: "t", commandLine: "/bin/true" });
      const [failed] = await waitUntil(
        () => backend.batch.job.listPreparationAndReleaseTaskStatus(jobId),
        (list) => list[0]?.jobPreparationTaskExecutionInfo?.state === "completed",
        { timeoutMs: target.nodeTimeoutMs, what: "the preparation task to fail" },
      );
      expect(failed?.jobPreparationTaskExecutionInfo).toMatchObject({ exitCode: 1, result: "failure", failureInfo: { category: "usererror" } });
      const task = await taskIn(jobId, "t", (t) => t.state === "active", "the task back in the queue");
      expect(task.executionInfo.endTime).toBeUndefined();
      await backend.batch.job.delete(jobId);
    });

    it("terminates the job with JMComplete when its job manager task completes", async () => {
      const jobId = await addJob({ jobManagerTask: { id: "manager", commandLine: "/bin/true" } });
      const job = await jobIn(jobId, "completed");
      expect(job.executionInfo.terminateReason).toBe("JMComplete");
      expect((await backend.batch.task.get(jobId, "manager")).executionInfo.result).toBe("success");
      await backend.batch.job.delete(jobId);
    });

    it("answers 409 JobPreparationTaskNotSpecified for the status of a job without a preparation task", async () => {
      const jobId = await addJob({});
      const error = await rejection(backend.batch.job.listPreparationAndReleaseTaskStatus(jobId));
      expect([error.statusCode, error.code]).toEqual([409, "JobPreparationTaskNotSpecified"]);
      await backend.batch.job.delete(jobId);
    });
  });
}
