/**
 * Task statistics on real node containers: the node agent reads each reaped task process's CPU
 * time and disk I/O, so a task that burns CPU reports user CPU time and one that writes a file
 * reports the bytes written.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { LocalBackend } from "../../src/backends/local/local-backend.js";
import { uniqueId, waitUntil } from "../contract/wait-until.js";
import { startLocalBackend } from "./local-test-backend.js";

let backend: LocalBackend;
const poolId = uniqueId("pool");

beforeAll(async () => {
  backend = await startLocalBackend();
  await backend.batch.pool.add({ id: poolId, vmSize: "standard_a1", targetDedicatedNodes: 1, taskSlotsPerNode: 2 });
  await waitUntil(
    () => backend.batch.computeNode.list(poolId),
    (nodes) => nodes.length === 1 && nodes[0]?.state === "idle",
    { timeoutMs: 90_000, intervalMs: 100, what: "an idle node" },
  );
});

afterAll(async () => {
  await backend?.close();
});

it("reports a CPU-burning task's user CPU time and a writing task's bytes written", async () => {
  const jobId = uniqueId("job");
  await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
  await backend.batch.task.add(jobId, { id: "burn", commandLine: `/bin/sh -c 'i=0; while [ "$i" -lt 400000 ]; do i=$((i+1)); done'` });
  await backend.batch.task.add(jobId, { id: "write", commandLine: "dd if=/dev/zero of=out.bin bs=1M count=16 conv=fsync" });
  for (const taskId of ["burn", "write"]) {
    await waitUntil(
      () => backend.batch.task.get(jobId, taskId),
      (task) => task.state === "completed",
      { timeoutMs: 60_000, intervalMs: 50, what: `task ${taskId} to complete` },
    );
  }
  const burn = await backend.batch.task.get(jobId, "burn", { withStats: true });
  expect(burn.executionInfo.exitCode).toBe(0);
  expect(burn.stats?.userCPUTime).not.toBe("PT0S");
  const write = await backend.batch.task.get(jobId, "write", { withStats: true });
  expect(write.executionInfo.exitCode).toBe(0);
  expect(write.stats?.writeIOGiB).toBeGreaterThanOrEqual(16 / 1024);
  expect(write.stats?.writeIOps).toBeGreaterThanOrEqual(16);
  const job = await backend.batch.job.get(jobId, { withStats: true });
  expect(job.stats).toMatchObject({ numSucceededTasks: 2, numFailedTasks: 0 });
}, 120_000);
