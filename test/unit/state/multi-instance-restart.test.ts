import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { LocalBackend } from "../../../src/backends/local/local-backend.js";
import { FakeClock } from "../../support/fake-clock.js";
import { FakeNodeRuntime } from "../../support/fake-node-runtime.js";
import { waitFor } from "../../support/settle.js";
import { startOn } from "../../support/start-on-data-dir.js";

async function start(dataDir: string, prepare: (runtime: FakeNodeRuntime) => void = () => undefined) {
  const clock = new FakeClock();
  const runtime = new FakeNodeRuntime(clock);
  prepare(runtime);
  const { backend } = await startOn(dataDir, clock, runtime);
  open.push(backend);
  runtimes.push(runtime);
  return { backend, runtime };
}

const open: LocalBackend[] = [];
const runtimes: FakeNodeRuntime[] = [];
let dataDir: string;

afterEach(async () => {
  for (const runtime of runtimes.splice(0)) runtime.releaseAll();
  for (const backend of open.splice(0).reverse()) await backend.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("a multi-instance task across a restart", () => {
  it("keeps a completed task's subtasks, and requeues a running one as a whole, its subtasks gone with its attempt", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-mpi-restart-"));
    const first = await start(dataDir);
    const held = first.runtime.hold("app");
    await first.backend.batch.pool.add({ id: "p", vmSize: "standard_d2s_v3", targetDedicatedNodes: 2, enableInterNodeCommunication: true });
    await first.backend.batch.job.add({ id: "j", poolInfo: { poolId: "p" } });
    await first.backend.batch.task.add("j", {
      id: "done",
      commandLine: "true",
      multiInstanceSettings: { numberOfInstances: 2, coordinationCommandLine: "true" },
    });
    await waitFor(async () => (await first.backend.batch.task.get("j", "done")).state === "completed", { what: "the first task to complete" });
    const subtasks = await first.backend.batch.task.listSubtasks("j", "done");
    expect(subtasks).toMatchObject([{ id: 1, state: "completed", exitCode: 0 }]);
    await first.backend.batch.task.add("j", {
      id: "busy",
      commandLine: "app",
      multiInstanceSettings: { numberOfInstances: 2, coordinationCommandLine: "true" },
    });
    await held.started("busy");
    expect(await first.backend.batch.task.listSubtasks("j", "busy")).toHaveLength(1);
    await first.backend.close();
    open.splice(0);

    // Its nodes are held back, so the requeued task cannot start again before it is looked at.
    const second = await start(dataDir, (runtime) => runtime.holdNodeStarts());
    expect(await second.backend.batch.task.listSubtasks("j", "done")).toEqual(subtasks);
    const requeued = await second.backend.batch.task.get("j", "busy");
    expect(requeued.executionInfo.requeueCount).toBe(1);
    expect(await second.backend.batch.task.listSubtasks("j", "busy")).toEqual([]);
  });
});
