/**
 * Node reboot and reimage on Docker: a reboot runs the start task again in a fresh container and
 * keeps the node's files; a reimage wipes them (the start task's record of earlier boots, a task's
 * output) before the start task runs again in another fresh container.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerNodeRuntime } from "../../src/backends/local/docker/docker-node-runtime.js";
import { LABEL } from "../../src/backends/local/docker/labels.js";
import type { LocalBackend } from "../../src/backends/local/local-backend.js";
import type { ComputeNode } from "../../src/core/models/index.js";
import { uniqueId, waitUntil } from "../contract/wait-until.js";
import { startLocalBackend } from "./local-test-backend.js";

describe("node reboot and reimage on Docker", () => {
  let backend: LocalBackend;
  const runtime = new DockerNodeRuntime();
  const poolId = uniqueId("pool");
  const jobId = uniqueId("job");

  beforeAll(async () => {
    backend = await startLocalBackend();
    await backend.batch.pool.add({
      id: poolId,
      vmSize: "standard_a1",
      targetDedicatedNodes: 1,
      // Each boot appends a fresh random id to a file of the shared directory.
      startTask: { commandLine: "/bin/sh -c 'cat /proc/sys/kernel/random/uuid >> $AZ_BATCH_NODE_SHARED_DIR/boots.txt'", waitForSuccess: true },
    });
  });

  afterAll(async () => {
    await backend?.close();
    expect(await runtime.listManaged({ [LABEL.session]: backend.sessionId })).toEqual([]);
  });

  const idleNode = () =>
    waitUntil(
      () => backend.batch.computeNode.list(poolId),
      (nodes) => nodes.length === 1 && nodes[0]?.state === "idle",
      { timeoutMs: 90_000, intervalMs: 100, what: "the node to be idle" },
    ).then((nodes) => nodes[0] as ComputeNode);

  const containerOf = async (nodeId: string) => {
    const containers = await runtime.listManaged({ [LABEL.session]: backend.sessionId, [LABEL.pool]: poolId, [LABEL.node]: nodeId });
    return containers.filter((c) => c.labels[LABEL.task] === undefined).map((c) => c.id);
  };

  const boots = async (nodeId: string) => (await backend.batch.file.getFromComputeNode(poolId, nodeId, "shared/boots.txt")).toString().trim().split("\n");

  it("reboots into a fresh container, runs the start task again and keeps the node's files; a reimage wipes them", async () => {
    const node = await idleNode();
    const [first] = await containerOf(node.id);
    expect(await boots(node.id)).toHaveLength(1);
    await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
    await backend.batch.task.add(jobId, { id: "out", commandLine: "/bin/sh -c 'echo kept > result.txt'" });
    await waitUntil(
      () => backend.batch.task.get(jobId, "out"),
      (task) => task.state === "completed",
      { timeoutMs: 30_000, intervalMs: 100, what: "the task to complete" },
    );

    await backend.batch.computeNode.reboot(poolId, node.id);
    const rebooted = await waitUntil(
      () => backend.batch.computeNode.get(poolId, node.id),
      (n) => n.state === "idle" && n.lastBootTime !== node.lastBootTime,
      { timeoutMs: 90_000, intervalMs: 100, what: "the node to be back after the reboot" },
    );
    expect(rebooted.startTaskInfo).toMatchObject({ result: "success", exitCode: 0 });
    const [second] = await containerOf(node.id);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    const afterReboot = await boots(node.id);
    expect(afterReboot).toHaveLength(2);
    expect(afterReboot[1]).not.toBe(afterReboot[0]);
    expect((await backend.batch.file.getFromTask(jobId, "out", "wd/result.txt")).toString()).toBe("kept\n");

    await backend.batch.computeNode.reimage(poolId, node.id);
    await waitUntil(
      () => backend.batch.computeNode.get(poolId, node.id),
      (n) => n.state === "idle" && n.lastBootTime !== rebooted.lastBootTime,
      { timeoutMs: 90_000, intervalMs: 100, what: "the node to be back after the reimage" },
    );
    const [third] = await containerOf(node.id);
    expect([first, second]).not.toContain(third);
    // Wiped: only this boot is recorded, and the task's output is gone.
    expect(await boots(node.id)).toHaveLength(1);
    await expect(backend.batch.file.getFromTask(jobId, "out", "wd/result.txt")).rejects.toMatchObject({ code: "FileNotFound" });
  });
});
