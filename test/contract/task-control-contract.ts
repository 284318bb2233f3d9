/**
 * Task control every backend owes its users (through the backend interface only): task update,
 * task reactivate, and deleting task and node files. Each backend's contract runner calls
 * `describeTaskControlContract` once, next to `describeBackendContract`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/core/backend.js";
import type { CloudTask, TaskAddParameter } from "../../src/core/models/index.js";
import { CONTRACT_SCRIPTS, type ContractTarget } from "./backend-contract.js";
import { uniqueId, waitUntil as realTimeWaitUntil } from "./wait-until.js";
import { rejection } from "./batch-rejection.js";

const bash = (script: string) => `/bin/bash -c '${script.replace(/'/g, `'\\''`)}'`;

export function describeTaskControlContract(target: ContractTarget): void {
  describe(`task control contract: ${target.name}`, () => {
    let backend: Backend;
    let poolId: string;
    const waitUntil = target.waitUntil ?? realTimeWaitUntil;

    beforeAll(async () => {
      backend = await target.start();
      poolId = uniqueId("pool");
      await backend.batch.pool.add({ id: poolId, vmSize: "standard_d2s_v3", targetDedicatedNodes: 1, taskSlotsPerNode: 2 });
      await waitUntil(
        () => backend.batch.computeNode.list(poolId),
        (nodes) => nodes.length === 1 && nodes[0]?.state === "idle",
        { timeoutMs: target.nodeTimeoutMs, what: "an idle node" },
      );
    }, target.nodeTimeoutMs + 60_000); // the backend's own start (Azurite, an engine) comes on top of the node's

    afterAll(async () => {
      await backend?.close();
    }, 60_000);

    /** A new job with `task`, once the task has completed. */
    async function completedTask(task: TaskAddParameter): Promise<{ jobId: string; task: CloudTask }> {
      const jobId = uniqueId("job");
      await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
      await backend.batch.task.add(jobId, task);
      const done = await waitUntil(
        () => backend.batch.task.get(jobId, task.id),
        (t) => t.state === "completed",
        { what: `task ${task.id} to complete`, timeoutMs: 120_000 },
      );
      return { jobId, task: done };
    }

    it("reactivates a failed task: it runs again from a retry count of 0; a succeeded task or a completed job refuses", async () => {
      const { jobId, task } = await completedTask({ id: "fails", commandLine: bash(CONTRACT_SCRIPTS.exit3), constraints: { maxTaskRetryCount: 1 } });
      expect(task.executionInfo).toMatchObject({ exitCode: 3, result: "failure", retryCount: 1 });
      await backend.batch.task.reactivate(jobId, "fails");
      const again = await waitUntil(
        () => backend.batch.task.get(jobId, "fails"),
        (t) => t.state === "completed" && t.eTag !== task.eTag,
        { what: "the reactivated task to complete again", timeoutMs: 120_000 },
      );
      expect(again.previousState).toBe("running");
      expect(again.executionInfo).toMatchObject({ exitCode: 3, result: "failure", retryCount: 1 });

      const { jobId: okJob } = await completedTask({ id: "ok", commandLine: "true" });
      const succeeded = await rejection(backend.batch.task.reactivate(okJob, "ok"));
      expect([succeeded.statusCode, succeeded.code]).toEqual([409, "TaskSucceeded"]);

      await backend.batch.job.terminate(jobId);
      await waitUntil(
        () => backend.batch.job.get(jobId),
        (job) => job.state === "completed",
        { what: "the job to complete" },
      );
      const completed = await rejection(backend.batch.task.reactivate(jobId, "fails"));
      expect([completed.statusCode, completed.code]).toEqual([409, "JobCompleted"]);
      expect((await rejection(backend.batch.task.reactivate(jobId, "no-such-task"))).code).toBe("TaskNotFound");
    });

    it("updates a task's constraints: the given ones replace them, omitted ones take the defaults", async () => {
      const { jobId } = await completedTask({ id: "t", commandLine: "true", constraints: { maxTaskRetryCount: 2, retentionTime: "PT1H" } });
      const updated = await backend.batch.task.update(jobId, "t", { constraints: { retentionTime: "P2D" } });
      expect(updated.constraints).toMatchObject({ retentionTime: "P2D", maxTaskRetryCount: 0 });
      expect((await backend.batch.task.get(jobId, "t")).constraints).toMatchObject({ retentionTime: "P2D", maxTaskRetryCount: 0 });
      await backend.batch.task.update(jobId, "t", {});
      expect((await backend.batch.task.get(jobId, "t")).constraints).toMatchObject({ retentionTime: "P7D", maxTaskRetryCount: 0 });
      const bad = await rejection(backend.batch.task.update(jobId, "t", { constraints: { maxTaskRetryCount: -2 } }));
      expect([bad.statusCode, bad.code]).toEqual([400, "InvalidPropertyValue"]);
      expect((await rejection(backend.batch.task.update(jobId, "nope", {}))).code).toBe("TaskNotFound");
    });

    it("deletes task and node files: a file, an empty directory, a full one only with recursive", async () => {
      const { jobId, task } = await completedTask({ id: "files", commandLine: bash(CONTRACT_SCRIPTS.outputs) });
      expect(task.executionInfo.result).toBe("success");
      const names = async () => (await backend.batch.file.listFromTask(jobId, "files", { recursive: true })).map((file) => file.name);
      expect(await names()).toEqual(expect.arrayContaining(["wd/r/a.txt", "wd/r/b.txt"]));

      await backend.batch.file.deleteFromTask(jobId, "files", "wd/r/a.txt");
      expect((await rejection(backend.batch.file.getPropertiesFromTask(jobId, "files", "wd/r/a.txt"))).code).toBe("FileNotFound");
      const missing = await rejection(backend.batch.file.deleteFromTask(jobId, "files", "wd/r/a.txt"));
      expect([missing.statusCode, missing.code]).toEqual([404, "FileNotFound"]);

      const notEmpty = await rejection(backend.batch.file.deleteFromTask(jobId, "files", "wd/r"));
      expect(notEmpty.statusCode).toBe(409);
      expect(await names()).toContain("wd/r/b.txt");

      const nodeId = task.nodeInfo?.nodeId as string;
      const onNode = (name: string) => `${task.nodeInfo?.taskRootDirectory as string}/${name}`;
      await backend.batch.file.deleteFromComputeNode(poolId, nodeId, onNode("wd/r/b.txt"));
      await backend.batch.file.deleteFromTask(jobId, "files", "wd/r");
      expect(await names()).not.toContain("wd/r");
      await backend.batch.file.deleteFromComputeNode(poolId, nodeId, onNode("wd"), { recursive: true });
      expect(await names()).not.toContain("wd");
      expect(await names()).toContain("stdout.txt");
      expect((await rejection(backend.batch.file.deleteFromComputeNode(poolId, nodeId, onNode("wd")))).code).toBe("FileNotFound");
    });
  });
}
