import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerNodeRuntime } from "../../src/backends/local/docker/docker-node-runtime.js";
import type { LocalBackend } from "../../src/backends/local/local-backend.js";
import { uniqueId, waitUntil } from "../contract/wait-until.js";
import { startLocalBackend } from "./local-test-backend.js";

describe("local nodes", () => {
  let backend: LocalBackend;
  const runtime = new DockerNodeRuntime();
  const poolId = uniqueId("pool");
  const containersOf = (labels: Record<string, string>) => runtime.listManaged({ "malachite.session": backend.sessionId, ...labels });

  beforeAll(async () => {
    backend = await startLocalBackend();
    await backend.batch.pool.add({
      id: poolId,
      vmSize: "standard_a1",
      targetDedicatedNodes: 2,
      startTask: {
        commandLine: `/bin/bash -c 'echo staged > staged.txt && cp -p staged.txt $AZ_BATCH_NODE_SHARED_DIR && echo "start $AZ_BATCH_TASK_ID"'`,
        userIdentity: { autoUser: { scope: "pool", elevationLevel: "admin" } },
      },
    });
    await waitUntil(
      () => backend.batch.computeNode.list(poolId),
      (nodes) => nodes.length === 2 && nodes.every((n) => n.state === "idle"),
      {
        timeoutMs: 60_000,
        what: "two idle nodes",
      },
    );
  });

  afterAll(async () => {
    await backend?.close();
    expect(await runtime.listManaged({ "malachite.session": backend.sessionId })).toEqual([]);
  });

  it("runs one labelled container per node", async () => {
    const containers = await containersOf({ "malachite.pool": poolId });
    const nodes = await backend.batch.computeNode.list(poolId);
    expect(containers.map((c) => c.labels["malachite.node"]).sort()).toEqual(nodes.map((n) => n.id).sort());
    for (const container of containers) expect(container.labels["malachite.owner-pid"]).toBe(String(process.pid));
  });

  it("keeps each node's directory layout on the host", async () => {
    const [node] = await backend.batch.computeNode.list(poolId);
    const root = path.join(backend.dataDir, "nodes", poolId, node?.id as string);
    for (const dir of ["shared", "startup/wd", "workitems", "applications", "fsmounts", "volatile"]) {
      expect(statSync(path.join(root, dir)).isDirectory(), dir).toBe(true);
    }
    expect(readFileSync(path.join(root, "startup/stdout.txt"), "utf8")).toBe("start \n");
    expect(readFileSync(path.join(root, "shared/staged.txt"), "utf8")).toBe("staged\n");
    expect(node?.startTaskInfo).toMatchObject({ state: "completed", exitCode: 0, result: "success", retryCount: 0 });
  });

  it("lets an unprivileged task read what the start task staged and keeps its files under workitems", async () => {
    const jobId = uniqueId("job");
    await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
    await backend.batch.task.add(jobId, { id: "reader", commandLine: `/bin/bash -c 'cat $AZ_BATCH_NODE_SHARED_DIR/staged.txt > copy.txt; whoami'` });
    const task = await waitUntil(
      () => backend.batch.task.get(jobId, "reader"),
      (t) => t.state === "completed",
      { what: "the task" },
    );
    expect(task.executionInfo.result).toBe("success");
    const dir = path.join(backend.dataDir, "nodes", poolId, task.nodeInfo?.nodeId as string, "workitems", jobId, "job-1", "reader");
    expect(readFileSync(path.join(dir, "wd/copy.txt"), "utf8")).toBe("staged\n");
    expect(readFileSync(path.join(dir, "stdout.txt"), "utf8")).toBe("_azbatch\n");
    expect(existsSync(path.join(dir, "stderr.txt"))).toBe(true);
  });

  it("resizes a pool and removes a deleted pool's containers and directories", async () => {
    await backend.batch.pool.resize(poolId, { targetDedicatedNodes: 1 });
    await waitUntil(
      () => backend.batch.pool.get(poolId),
      (p) => p.allocationState === "steady" && p.currentDedicatedNodes === 1,
      { what: "a smaller pool" },
    );
    expect(await containersOf({ "malachite.pool": poolId })).toHaveLength(1);
    await backend.batch.pool.delete(poolId);
    // The deletion runs in the background (202): right after the call the pool is still there, deleting.
    expect((await backend.batch.pool.get(poolId)).state).toBe("deleting");
    await waitUntil(
      () => backend.batch.pool.exists(poolId),
      (exists) => !exists,
      { what: "the pool to go" },
    );
    expect(await containersOf({ "malachite.pool": poolId })).toEqual([]);
    expect(existsSync(path.join(backend.dataDir, "nodes", poolId))).toBe(false);
  });
});
