import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LocalBackend } from "../../../src/backends/local/local-backend.js";
import { FakeClock } from "../../support/fake-clock.js";
import { FakeNodeRuntime } from "../../support/fake-node-runtime.js";
import { waitFor } from "../../support/settle.js";
import { startOn, stubBlobs } from "../../support/start-on-data-dir.js";

const open: LocalBackend[] = [];
let dataDir: string;

afterEach(async () => {
  for (const backend of open.splice(0).reverse()) await backend.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function idleNodes(backend: LocalBackend, poolId: string, count: number) {
  return waitFor(
    async () => {
      const nodes = await backend.batch.computeNode.list(poolId);
      return nodes.length === count && nodes.every((n) => n.state === "idle") && nodes;
    },
    { what: `${count} idle nodes` },
  );
}

describe("state that survives a restart on the same data directory", () => {
  it("brings back every pool, node, job and task; running tasks are requeued and complete; nodes reboot", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-restart-"));
    const first = await startOn(dataDir);
    open.push(first.backend);
    const held = first.runtime.hold("work");
    await first.backend.batch.pool.add({
      id: "pool",
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 2,
      startTask: { commandLine: "/bin/true", waitForSuccess: true },
    });
    const nodesBefore = await idleNodes(first.backend, "pool", 2);
    await first.backend.batch.job.add({ id: "job", poolInfo: { poolId: "pool" }, metadata: [{ name: "k", value: "v" }] });
    await first.backend.batch.task.add("job", { id: "done", commandLine: "/bin/true" });
    await waitFor(async () => (await first.backend.batch.task.get("job", "done")).state === "completed");
    await first.backend.batch.task.add("job", { id: "running", commandLine: "work" });
    await first.backend.batch.task.addCollection(
      "job",
      [
        { id: "queued-1", commandLine: "/bin/true" },
        { id: "queued-2", commandLine: "/bin/true" },
      ].map((t) => ({ ...t, requiredSlots: 1 })),
    );
    await waitFor(() => held.running.length === 1, { what: "the held task to run" });
    const before = await first.backend.batch.task.get("job", "running");
    expect(before.state).toBe("running");

    // The first process "dies": nothing of it is closed; a second one starts on the same directory.
    const second = await startOn(dataDir, new FakeClock(first.clock.now() + 60_000));
    open.push(second.backend);
    second.runtime.programs.set("work", () => ({ exitCode: 0 }));

    expect((await second.backend.batch.pool.list()).map((p) => p.id)).toEqual(["pool"]);
    expect((await second.backend.batch.job.get("job")).metadata).toEqual([{ name: "k", value: "v" }]);
    const restoredNodes = await second.backend.batch.computeNode.list("pool");
    expect(restoredNodes.map((n) => n.id).sort()).toEqual(nodesBefore.map((n) => n.id).sort());
    const done = await second.backend.batch.task.get("job", "done");
    expect(done).toMatchObject({ state: "completed", executionInfo: { exitCode: 0, result: "success" } });

    // Every node reboots on a new container and runs its start task again.
    await idleNodes(second.backend, "pool", 2);
    expect(second.runtime.nodeStarts).toHaveLength(2);
    const tasks = await waitFor(
      async () => {
        const list = await second.backend.batch.task.list("job");
        return list.every((t) => t.state === "completed") && list;
      },
      { what: "every task to complete after the restart" },
    );
    expect(tasks.map((t) => t.id)).toEqual(["done", "running", "queued-1", "queued-2"]);
    expect(tasks.every((t) => t.executionInfo.result === "success")).toBe(true);
    const requeued = tasks.find((t) => t.id === "running");
    expect(requeued?.executionInfo.requeueCount).toBe(1);
    expect(requeued?.executionInfo.lastRequeueTime).toBeDefined();

    // New entities continue the sequences: a new task sorts after the restored ones.
    await second.backend.batch.task.add("job", { id: "after", commandLine: "/bin/true" });
    expect((await second.backend.batch.task.list("job")).map((t) => t.id).at(-1)).toBe("after");
  });

  it("finishes a deletion that was in progress and removes node directories nobody owns", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-restart-"));
    const first = await startOn(dataDir);
    open.push(first.backend);
    await first.backend.batch.pool.add({ id: "gone", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
    await idleNodes(first.backend, "gone", 1);
    first.runtime.holdNodeStarts();
    // Deleting waits for a node removal that the held runtime never finishes in the first process.
    const kills = first.runtime.holdKills();
    await first.backend.batch.pool.delete("gone");
    expect((await first.backend.batch.pool.get("gone")).state).toBe("deleting");

    const second = await startOn(dataDir);
    open.push(second.backend);
    await waitFor(async () => !(await second.backend.batch.pool.exists("gone")), { what: "the pool's deletion to finish" });
    expect(await readdir(path.join(dataDir, "nodes")).catch(() => [])).toEqual([]);
    kills.open();
  });

  it("deleting a pool while its nodes are still coming up leaves no directory behind", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-restart-"));
    const first = await startOn(dataDir);
    open.push(first.backend);
    // Deleted in the same turn as added: the nodes are still making their directories.
    await first.backend.batch.pool.add({ id: "p", vmSize: "standard_d2s_v3", targetDedicatedNodes: 2 });
    await first.backend.batch.pool.delete("p");
    await waitFor(async () => !(await first.backend.batch.pool.exists("p")), { what: "the pool to go" });
    expect(await readdir(path.join(dataDir, "nodes")).catch(() => [])).toEqual([]);
    expect(first.runtime.nodes.size).toBe(0);
  });

  it("removes node directories nobody owns even when the journal is empty", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-restart-"));
    await mkdir(path.join(dataDir, "nodes", "old-pool", "tvm-1", "shared"), { recursive: true });
    const started = await startOn(dataDir);
    open.push(started.backend);
    expect(await readdir(path.join(dataDir, "nodes"))).toEqual([]);
  });

  it("keeps the agent directory of a node it keeps and removes those of nodes it no longer has", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-restart-"));
    const first = await startOn(dataDir);
    open.push(first.backend);
    await first.backend.batch.pool.add({ id: "p", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
    const [node] = await idleNodes(first.backend, "p", 1);
    const poolDir = path.join(dataDir, "nodes", "p");
    const kept = `${node!.id}.agent-0123456789ab`;
    await mkdir(path.join(poolDir, kept));
    await mkdir(path.join(poolDir, "tvm-gone.agent-ba9876543210"));
    const second = await startOn(dataDir, new FakeClock(first.clock.now() + 60_000));
    open.push(second.backend);
    await idleNodes(second.backend, "p", 1);
    expect((await readdir(poolDir)).sort()).toEqual([node!.id, kept].sort());
  });

  it("keeps nothing with inMemory", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-restart-"));
    const clock = new FakeClock();
    const deps = { runtime: new FakeNodeRuntime(clock), clock, nodeImage: async () => "x", startBlobService: async () => stubBlobs() };
    const first = await LocalBackend.start({ dataDir, azurite: { port: 0 }, inMemory: true }, deps);
    await first.batch.job.add({ id: "job", poolInfo: { poolId: "none" } });
    await first.close();
    const second = await LocalBackend.start({ dataDir, azurite: { port: 0 }, inMemory: true }, { ...deps, runtime: new FakeNodeRuntime(clock) });
    open.push(second);
    expect(await second.batch.job.list()).toEqual([]);
  });
});
