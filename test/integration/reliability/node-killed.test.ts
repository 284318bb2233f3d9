/**
 * One node container of a two-node pool killed in the middle of a job (`docker kill`, as a VM
 * that stops answering): the node becomes `unusable`, the task that was running there is
 * requeued and completes on the other node, every task of the job succeeds, and the lost node
 * comes back on a new container.
 */
import Dockerode from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerNodeRuntime } from "../../../src/backends/local/docker/docker-node-runtime.js";
import { LABEL } from "../../../src/backends/local/docker/labels.js";
import type { LocalBackend } from "../../../src/backends/local/local-backend.js";
import { NODE_RECOVERY_DELAY_MS } from "../../../src/backends/local/services/node-health.js";
import { uniqueId, waitUntil } from "../../contract/wait-until.js";
import { startLocalBackend } from "../local-test-backend.js";

const TASKS = 10;

describe("a node container killed in the middle of a job", () => {
  let backend: LocalBackend;
  const runtime = new DockerNodeRuntime();
  const poolId = uniqueId("pool");
  const jobId = uniqueId("job");

  beforeAll(async () => {
    backend = await startLocalBackend();
    await backend.batch.pool.add({ id: poolId, vmSize: "standard_a1", targetDedicatedNodes: 2 });
  });

  afterAll(async () => {
    await backend?.close();
    expect(await runtime.listManaged({ [LABEL.session]: backend.sessionId })).toEqual([]);
  });

  it("makes the node unusable, requeues its running task onto the other node, and every task succeeds", async () => {
    await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
    const taskIds = Array.from({ length: TASKS }, (_, i) => `task${i}`);
    await backend.batch.task.addCollection(
      jobId,
      taskIds.map((id) => ({ id, commandLine: "/bin/sh -c 'sleep 2; echo $AZ_BATCH_TASK_ID'" })),
    );
    // Both nodes busy: kill one of them while its task runs.
    const running = await waitUntil(
      async () => (await backend.batch.task.list(jobId)).filter((t) => t.state === "running"),
      (tasks) => new Set(tasks.map((t) => t.nodeInfo?.nodeId)).size === 2,
      { timeoutMs: 90_000, intervalMs: 50, what: "a task running on each node" },
    );
    // The task that started last is sure to be running still when its node dies.
    const victim = running.reduce((a, b) => ((a.executionInfo.startTime ?? "") >= (b.executionInfo.startTime ?? "") ? a : b));
    const lostNodeId = victim.nodeInfo?.nodeId as string;
    const [container] = await runtime.listManaged({ [LABEL.session]: backend.sessionId, [LABEL.pool]: poolId, [LABEL.node]: lostNodeId });
    const killedAt = Date.now();
    await new Dockerode().getContainer(container!.id).kill();

    const lost = await waitUntil(
      () => backend.batch.computeNode.get(poolId, lostNodeId),
      (node) => node.state === "unusable",
      { timeoutMs: 10_000, intervalMs: 50, what: "the node to become unusable" },
    );
    const noticedMs = Date.now() - killedAt;
    expect(lost.errors?.[0]?.code).toBe("NodeUnreachable");
    // Its task is requeued: the node no longer counts it (the task's attempt ends asynchronously).
    await waitUntil(
      () => backend.batch.computeNode.get(poolId, lostNodeId),
      (node) => node.runningTasksCount === 0,
      { timeoutMs: 5_000, intervalMs: 50, what: "the lost node to count no running task" },
    );

    const tasks = await waitUntil(
      () => backend.batch.task.list(jobId),
      (list) => list.length === TASKS && list.every((t) => t.state === "completed"),
      { timeoutMs: 90_000, intervalMs: 250, what: "every task to complete" },
    );
    for (const task of tasks) {
      expect(task.executionInfo, task.id).toMatchObject({ result: "success", exitCode: 0, retryCount: 0 });
      const stdout = await backend.batch.file.getFromTask(jobId, task.id, "stdout.txt");
      expect(stdout.toString(), task.id).toBe(`${task.id}\n`);
    }
    const requeued = tasks.find((t) => t.id === victim.id)!;
    expect(requeued.executionInfo).toMatchObject({ requeueCount: 1, result: "success" });
    expect(requeued.executionInfo.lastRequeueTime).toBeDefined();
    expect(requeued.nodeInfo?.nodeId).not.toBe(lostNodeId);
    expect(tasks.filter((t) => t.id !== victim.id).every((t) => t.executionInfo.requeueCount === 0)).toBe(true);

    // After NODE_RECOVERY_DELAY_MS the lost node comes back on a new container.
    const back = await waitUntil(
      () => backend.batch.computeNode.get(poolId, lostNodeId),
      (node) => node.state === "idle",
      { timeoutMs: NODE_RECOVERY_DELAY_MS + 30_000, intervalMs: 250, what: "the lost node to come back" },
    );
    expect(back.errors ?? []).toEqual([]);
    const containers = await runtime.listManaged({ [LABEL.session]: backend.sessionId, [LABEL.pool]: poolId, [LABEL.node]: lostNodeId });
    expect(containers.map((c) => c.id)).not.toContain(container!.id);
    expect(containers).toHaveLength(1);
    console.log(
      `node killed mid-job: unusable after ${noticedMs} ms; task ${victim.id} requeued onto ${requeued.nodeInfo?.nodeId}; ` +
        `${TASKS}/${TASKS} tasks succeeded; node back (idle) ${Date.now() - killedAt} ms after the kill`,
    );

    await backend.batch.job.delete(jobId);
    await backend.batch.pool.delete(poolId);
    await waitUntil(
      () => backend.batch.pool.exists(poolId),
      (exists) => !exists,
      { what: "the pool to go" },
    );
  });
});
