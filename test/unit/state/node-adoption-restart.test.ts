/**
 * A restart of Malachite after a crash (kill -9) on the same data directory, with node containers
 * and agents that outlived the crashed process (a fake runtime carried over): the nodes are
 * adopted with their containers instead of rebooting.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { nodeLabels } from "../../../src/backends/local/docker/labels.js";
import type { LocalBackend } from "../../../src/backends/local/local-backend.js";
import { FakeClock } from "../../support/fake-clock.js";
import { FakeNodeRuntime } from "../../support/fake-node-runtime.js";
import { waitFor } from "../../support/settle.js";
import { startOn } from "../../support/start-on-data-dir.js";

const open: LocalBackend[] = [];
let dataDir: string;

afterEach(async () => {
  for (const backend of open.splice(0).reverse()) await backend.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function nodesIn(backend: LocalBackend, poolId: string, state: string, count: number) {
  return waitFor(
    async () => {
      const nodes = await backend.batch.computeNode.list(poolId);
      return nodes.length === count && nodes.every((n) => n.state === state) && nodes;
    },
    { what: `${count} ${state} node(s)` },
  );
}

describe("nodes whose containers outlived a crash of Malachite", () => {
  it("are adopted: same containers, no second start task, boot time kept; the running task's process is killed and the task requeued", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-adopt-"));
    const clock = new FakeClock();
    const runtime = new FakeNodeRuntime(clock);
    runtime.agentsSurviveRestart = true;
    const setups: string[] = [];
    runtime.programs.set("setup", (run) => {
      setups.push(run.containerId);
      return { exitCode: 0 };
    });
    const first = await startOn(dataDir, clock, runtime);
    const held = runtime.hold("work");
    await first.backend.batch.pool.add({
      id: "pool",
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 2,
      startTask: { commandLine: "setup", waitForSuccess: true },
    });
    const before = await nodesIn(first.backend, "pool", "idle", 2);
    const offline = before[1]?.id as string;
    await first.backend.batch.computeNode.disableScheduling("pool", offline);
    await first.backend.batch.job.add({ id: "job", poolInfo: { poolId: "pool" } });
    await first.backend.batch.task.add("job", { id: "running", commandLine: "work" });
    await waitFor(() => held.running.length === 1, { what: "the held task to run" });
    const crashed = held.running[0];
    const containers = [...runtime.nodes.keys()];
    expect(setups.sort()).toEqual([...containers].sort());

    // kill -9: the first process is not closed; its agents kill what it started.
    runtime.emulatorDied();
    expect(crashed?.killed).toBe(true);
    const second = await startOn(dataDir, new FakeClock(clock.now() + 60_000), runtime);
    open.push(second.backend);
    runtime.programs.set("work", () => ({ exitCode: 0 }));

    const after = await second.backend.batch.computeNode.list("pool");
    expect(after.map((n) => [n.id, n.state]).sort()).toEqual(before.map((n) => [n.id, n.id === offline ? "offline" : "idle"]).sort());
    for (const node of after) {
      const earlier = before.find((n) => n.id === node.id);
      expect(node.lastBootTime).toBe(earlier?.lastBootTime);
      expect(node.startTaskInfo).toEqual(earlier?.startTaskInfo);
    }
    expect(runtime.nodeStarts).toHaveLength(2);
    expect([...runtime.nodes.keys()]).toEqual(containers);
    expect(runtime.removed).toEqual([]);
    expect(setups).toHaveLength(2);

    const requeued = await waitFor(
      async () => {
        const task = await second.backend.batch.task.get("job", "running");
        return task.state === "completed" && task;
      },
      { what: "the requeued task to complete" },
    );
    expect(requeued.executionInfo).toMatchObject({ requeueCount: 1, exitCode: 0, result: "success" });
    expect(containers).toContain(runtime.processesOf("running").at(-1)?.containerId);

    await second.backend.batch.task.add("job", { id: "after", commandLine: "/bin/true" });
    await waitFor(async () => (await second.backend.batch.task.get("job", "after")).state === "completed", { what: "a new task" });
    expect(containers).toContain(runtime.processesOf("after").at(-1)?.containerId);
    expect(runtime.nodeStarts).toHaveLength(2);
  });

  it("a node whose container is gone reboots on a new one, as before; a container of the directory no node names goes", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-adopt-"));
    const clock = new FakeClock();
    const runtime = new FakeNodeRuntime(clock);
    runtime.agentsSurviveRestart = true;
    const first = await startOn(dataDir, clock, runtime);
    await first.backend.batch.pool.add({ id: "pool", vmSize: "standard_d2s_v3", targetDedicatedNodes: 2, startTask: { commandLine: "/bin/true" } });
    await nodesIn(first.backend, "pool", "idle", 2);
    const [lost, kept] = [...runtime.nodes.keys()];
    runtime.emulatorDied();
    runtime.nodes.delete(lost as string); // the engine lost it while nobody watched
    // Started by the dead process, which died before recording it on a node.
    const stray = await runtime.startNode({
      name: "stray",
      image: "malachite-node:fake",
      labels: nodeLabels({ sessionId: "dead", poolId: "pool", nodeId: "unrecorded", dataDir }),
      hostNodeRootDir: path.join(dataDir, "nodes", "pool", "unrecorded"),
      nodeRootDir: "/mnt/batch/tasks",
    });

    const second = await startOn(dataDir, new FakeClock(clock.now() + 60_000), runtime);
    open.push(second.backend);
    await nodesIn(second.backend, "pool", "idle", 2);
    expect(runtime.nodeStarts).toHaveLength(4);
    expect(runtime.nodes.has(kept as string)).toBe(true);
    expect(runtime.removed).toContain(stray.containerId);
    expect(runtime.removed).not.toContain(kept);
    expect(runtime.nodes.has(stray.containerId)).toBe(false);
  });
});
