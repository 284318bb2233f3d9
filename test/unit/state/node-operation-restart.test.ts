/**
 * A reboot or reimage asked for before Malachite crashed (kill -9) is finished by the restart on
 * the same data directory, whether it was still waiting for the node's tasks (`taskcompletion`)
 * or already under way: the node does not simply come back as it was.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
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

async function idleNode(backend: LocalBackend) {
  return waitFor(
    async () => {
      const [node] = await backend.batch.computeNode.list("pool");
      return node?.state === "idle" && node;
    },
    { what: "an idle node" },
  );
}

/** A pool of one node whose start task counts its runs, a job, and a task held running on the node. */
async function crashWhileTaskRuns(operation: (backend: LocalBackend, nodeId: string) => Promise<void>) {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-node-op-restart-"));
  const clock = new FakeClock();
  const runtime = new FakeNodeRuntime(clock);
  runtime.agentsSurviveRestart = true;
  let setups = 0;
  runtime.programs.set("setup", () => (setups++, {}));
  const first = await startOn(dataDir, clock, runtime);
  await first.backend.batch.pool.add({ id: "pool", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1, startTask: { commandLine: "setup" } });
  const node = await idleNode(first.backend);
  const marker = path.join(dataDir, "nodes", "pool", node.id, "shared", "marker");
  await writeFile(marker, "left by a task");
  const held = runtime.hold("work");
  await first.backend.batch.job.add({ id: "job", poolInfo: { poolId: "pool" } });
  await first.backend.batch.task.add("job", { id: "long", commandLine: "work" });
  await waitFor(() => held.running.length === 1, { what: "the task to run" });
  await operation(first.backend, node.id);
  runtime.emulatorDied();
  runtime.programs.set("work", () => ({}));
  const second = await startOn(dataDir, new FakeClock(clock.now() + 60_000), runtime);
  open.push(second.backend);
  return { second: second.backend, runtime, marker, setups: () => setups, node };
}

describe("a node operation under way when Malachite crashed", () => {
  it("a reimage waiting for the node's task (taskcompletion) is done after the restart: the directory wiped, the start task again", async () => {
    const { second, marker, setups, node } = await crashWhileTaskRuns(async (backend, nodeId) => {
      await backend.batch.computeNode.reimage("pool", nodeId, "taskcompletion");
      expect((await backend.batch.computeNode.get("pool", nodeId)).state).toBe("running");
    });
    const after = await waitFor(
      async () => {
        const current = await second.batch.computeNode.get("pool", node.id);
        return current.state === "idle" && current.lastBootTime !== node.lastBootTime && current;
      },
      { what: "the node reimaged and idle again" },
    );
    expect(after.id).toBe(node.id);
    expect(existsSync(marker)).toBe(false);
    expect(setups()).toBe(2);
    const task = await waitFor(
      async () => {
        const current = await second.batch.task.get("job", "long");
        return current.state === "completed" && current;
      },
      { what: "the requeued task to complete" },
    );
    expect(task.executionInfo).toMatchObject({ requeueCount: 1, result: "success" });
  });

  it("a reboot already under way comes back on a new container with its directory kept", async () => {
    const { second, runtime, marker, setups, node } = await crashWhileTaskRuns(async (backend, nodeId) => {
      await backend.batch.computeNode.reboot("pool", nodeId, "requeue");
    });
    await waitFor(
      async () => {
        const current = await second.batch.computeNode.get("pool", node.id);
        return current.state === "idle" && current.lastBootTime !== node.lastBootTime;
      },
      { what: "the node rebooted and idle again" },
    );
    expect(existsSync(marker)).toBe(true);
    expect(setups()).toBe(2);
    expect(runtime.nodes.size).toBe(1);
  });
});
