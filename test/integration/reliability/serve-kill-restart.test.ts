/**
 * `malachite serve` killed with SIGKILL in the middle of a job, then started again on the same
 * data directory and ports: every pool, node, job and task is listed again, the nodes are
 * adopted with the containers that outlived the kill (same containers, no second start task),
 * tasks that had completed keep their results, tasks that were running are requeued, the blobs
 * are still there (Azurite keeps them under the data directory), the job completes, a new task
 * runs on an adopted node, and no container is left once the second run is closed.
 */
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BatchServiceModels } from "@azure/batch";
import { BlobSASPermissions, BlobServiceClient } from "@azure/storage-blob";
import { describe, expect, it } from "vitest";
import { DockerNodeRuntime } from "../../../src/backends/local/docker/docker-node-runtime.js";
import { LABEL } from "../../../src/backends/local/docker/labels.js";
import { waitUntil } from "../../contract/wait-until.js";
import { freePort, isListening, startServe, type ServeProcess } from "./serve-process.js";

const POOL_ID = "ReliabilityPool";
const JOB_ID = "ReliabilityJob";
const TASKS = 20;
const GREETING = "hello from the blobs\n";

async function text(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) throw new Error("no response body");
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

const ids = (entities: Array<{ id?: string }>) => entities.map((e) => e.id as string).sort();
const count = (tasks: BatchServiceModels.CloudTask[], state: string) => tasks.filter((t) => t.state === state).length;

describe("malachite serve killed with SIGKILL in the middle of a 20-task job", () => {
  it("restarts on the same data directory with every pool, job and task, completes the job, and leaks no container", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "malachite-reliability-"));
    const blobPort = await freePort();
    const args = ["--port", String(await freePort()), "--blob-port", String(blobPort), "--data-dir", dataDir];
    const runtime = new DockerNodeRuntime();
    const servePids: number[] = [];
    const sessions = new Set<string>();
    const containersOfBothRuns = async () =>
      (await runtime.listManaged({ [LABEL.managed]: "true" })).filter(
        (c) => servePids.includes(Number(c.labels[LABEL.ownerPid])) || sessions.has(c.labels[LABEL.session] ?? ""),
      );
    let second: ServeProcess | undefined;
    const first = await startServe(args);
    servePids.push(first.pid);
    try {
      // Blobs: a file the start task downloads, again when the nodes come back after the restart.
      const blobs = BlobServiceClient.fromConnectionString(first.field("Connection string"));
      const container = blobs.getContainerClient("reliability");
      await container.create();
      const blob = container.getBlockBlobClient("greeting.txt");
      await blob.upload(GREETING, Buffer.byteLength(GREETING));
      const greetingUrl = await blob.generateSasUrl({ permissions: BlobSASPermissions.parse("r"), expiresOn: new Date(Date.now() + 3600_000) });

      const client = first.client;
      await client.pool.add({
        id: POOL_ID,
        vmSize: "standard_d2s_v3",
        targetDedicatedNodes: 2,
        taskSlotsPerNode: 2,
        startTask: {
          commandLine: "/bin/sh -c 'cp greeting.txt $AZ_BATCH_NODE_SHARED_DIR/'",
          resourceFiles: [{ httpUrl: greetingUrl, filePath: "greeting.txt" }],
          userIdentity: { autoUser: { scope: "pool", elevationLevel: "admin" } },
          waitForSuccess: true,
        },
      });
      await client.job.add({ id: JOB_ID, poolInfo: { poolId: POOL_ID } });
      const taskIds = Array.from({ length: TASKS }, (_, i) => `task${String(i).padStart(2, "0")}`);
      await client.task.addCollection(
        JOB_ID,
        taskIds.map((id) => ({ id, commandLine: "/bin/sh -c 'sleep 1; cat $AZ_BATCH_NODE_SHARED_DIR/greeting.txt; echo $AZ_BATCH_TASK_ID'" })),
      );

      const nodesBefore = await waitUntil(
        () => client.computeNode.list(POOL_ID),
        (nodes) => nodes.length === 2 && nodes.every((n) => n.state === "running"),
        { timeoutMs: 90_000, what: "two nodes running tasks" },
      );
      for (const c of await runtime.listManaged({ [LABEL.ownerPid]: String(first.pid) })) sessions.add(c.labels[LABEL.session] ?? "");
      // Mid-job: some tasks completed, some running.
      const before = await waitUntil(
        () => client.task.list(JOB_ID),
        (tasks) => count(tasks, "completed") >= 4 && count(tasks, "running") >= 1,
        { timeoutMs: 90_000, intervalMs: 50, what: "a job in the middle of its tasks" },
      );
      first.child.kill("SIGKILL");
      expect((await first.exited).signal).toBe("SIGKILL");
      const killedAt = Date.now();
      const completedBefore = before.filter((t) => t.state === "completed");
      const containerIds = async () => (await runtime.listManaged({ [LABEL.ownerPid]: String(first.pid) })).map((c) => c.id).sort();
      const nodeContainers = await containerIds();
      expect(nodeContainers).toHaveLength(2); // its nodes outlive it
      // Azurite, its child, notices and stops by itself: the blob port is free again.
      await waitUntil(
        () => isListening(blobPort),
        (listening) => !listening,
        { timeoutMs: 15_000, what: "the first Azurite to stop" },
      );

      const restartBegan = performance.now();
      second = await startServe(args);
      servePids.push(second.pid);
      const answeredMs = performance.now() - restartBegan;
      const client2 = second.client;
      const listAll = async () => {
        const [pools, jobs, tasks, nodes] = await Promise.all([
          client2.pool.list(),
          client2.job.list(),
          client2.task.list(JOB_ID),
          client2.computeNode.list(POOL_ID),
        ]);
        return { pools, jobs, tasks, nodes };
      };
      const restored = await waitUntil(listAll, (all) => all.tasks.length === TASKS && all.nodes.length === 2, {
        timeoutMs: 30_000,
        what: "everything listed again",
      });
      const restoredMs = performance.now() - restartBegan;

      expect(ids(restored.pools)).toEqual([POOL_ID]);
      expect(ids(restored.jobs)).toEqual([JOB_ID]);
      expect(ids(restored.tasks)).toEqual(taskIds);
      expect(ids(restored.nodes)).toEqual(ids(nodesBefore));
      // The killed run's node containers were adopted, not swept: this run owns the data directory.
      expect(await containerIds()).toEqual(nodeContainers);
      // Completed tasks kept their results; the blobs are still there.
      for (const done of completedBefore) {
        const again = restored.tasks.find((t) => t.id === done.id);
        expect(again?.state, done.id).toBe("completed");
        expect(again?.executionInfo).toEqual(done.executionInfo);
      }
      const blobs2 = BlobServiceClient.fromConnectionString(second.field("Connection string"));
      expect((await blobs2.getContainerClient("reliability").getBlockBlobClient("greeting.txt").downloadToBuffer()).toString()).toBe(GREETING);

      await waitUntil(
        () => client2.computeNode.list(POOL_ID),
        (nodes) => nodes.length === 2 && nodes.every((n) => n.state === "idle" || n.state === "running"),
        { timeoutMs: 60_000, intervalMs: 100, what: "the nodes to be back" },
      );
      const nodesBackMs = performance.now() - restartBegan;
      const finished = await waitUntil(
        () => client2.task.list(JOB_ID),
        (tasks) => tasks.length === TASKS && tasks.every((t) => t.state === "completed"),
        { timeoutMs: 120_000, intervalMs: 250, what: "every task to complete after the restart" },
      );
      const completedMs = performance.now() - restartBegan;
      for (const task of finished) {
        expect(task.executionInfo, task.id).toMatchObject({ result: "success", exitCode: 0 });
        expect(await text((await client2.file.getFromTask(JOB_ID, task.id as string, "stdout.txt")).readableStreamBody)).toBe(`${GREETING}${task.id}\n`);
      }
      const requeued = finished.filter((t) => (t.executionInfo?.requeueCount ?? 0) > 0);
      expect(requeued.length).toBeGreaterThanOrEqual(1);
      for (const task of requeued) expect(completedBefore.map((t) => t.id)).not.toContain(task.id);
      const nodesAfter = await client2.computeNode.list(POOL_ID);
      for (const node of nodesAfter) {
        expect(node.startTaskInfo, node.id).toMatchObject({ state: "completed", result: "success" });
        const earlier = nodesBefore.find((n) => n.id === node.id);
        expect(node.startTaskInfo, node.id).toEqual(earlier?.startTaskInfo); // the start task did not run again
        expect(node.lastBootTime, node.id).toEqual(earlier?.lastBootTime);
        expect(node.startTaskInfo?.startTime?.getTime()).toBeLessThan(killedAt);
      }
      // A new task runs on an adopted node, in the same container.
      await client2.task.add(JOB_ID, { id: "after-restart", commandLine: "/bin/sh -c 'cat $AZ_BATCH_NODE_SHARED_DIR/greeting.txt'" });
      const after = await waitUntil(
        () => client2.task.get(JOB_ID, "after-restart"),
        (task) => task.state === "completed",
        { timeoutMs: 60_000, intervalMs: 100, what: "a new task on an adopted node" },
      );
      expect(after.executionInfo).toMatchObject({ result: "success", exitCode: 0 });
      expect(ids(nodesBefore)).toContain(after.nodeInfo?.nodeId);
      expect(await containerIds()).toEqual(nodeContainers);

      // Deleting the job and the pool removes their node directories.
      await client2.job.deleteMethod(JOB_ID);
      await waitUntil(
        () => client2.job.list(),
        (jobs) => jobs.length === 0,
        { what: "the job to go" },
      );
      for (const node of nodesAfter) expect(existsSync(path.join(dataDir, "nodes", POOL_ID, node.id as string, "workitems", JOB_ID))).toBe(false);
      await client2.pool.deleteMethod(POOL_ID);
      await waitUntil(
        () => client2.pool.list(),
        (pools) => pools.length === 0,
        { what: "the pool to go" },
      );
      expect(existsSync(path.join(dataDir, "nodes", POOL_ID))).toBe(false);

      second.child.kill("SIGINT");
      expect((await second.exited).code).toBe(0);
      expect(await containersOfBothRuns()).toEqual([]);

      const entities = restored.pools.length + restored.nodes.length + restored.jobs.length + restored.tasks.length;
      console.log(
        `serve restart after kill -9 with ${completedBefore.length}/${TASKS} tasks completed: ` +
          `${entities} entities restored (${restored.pools.length} pool, ${restored.nodes.length} nodes, ${restored.jobs.length} job, ${restored.tasks.length} tasks, ` +
          `${requeued.length} requeued); answering after ${Math.round(answeredMs)} ms, everything listed after ${Math.round(restoredMs)} ms, ` +
          `nodes back after ${Math.round(nodesBackMs)} ms, job completed ${Math.round(completedMs)} ms after the restart`,
      );
    } finally {
      for (const serve of [first, second]) if (serve && serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill("SIGINT");
      await Promise.all([first.exited, second?.exited]);
      for (const leftover of await containersOfBothRuns()) await runtime.removeNode(leftover.id);
    }
  });
});
