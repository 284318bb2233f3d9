import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { LocalBackend } from "../../../src/backends/local/local-backend.js";
import { FakeClock } from "../../support/fake-clock.js";
import { FakeNodeRuntime } from "../../support/fake-node-runtime.js";
import { waitFor } from "../../support/settle.js";
import { startOn } from "../../support/start-on-data-dir.js";

const open: { backend: LocalBackend; runtime: FakeNodeRuntime }[] = [];
let dataDir: string;

afterEach(async () => {
  for (const { backend, runtime } of open.splice(0).reverse()) {
    runtime.releaseAll();
    await backend.close();
  }
  await rm(dataDir, { recursive: true, force: true });
});

function steadyPool(backend: LocalBackend, idleNodes: number) {
  return waitFor(
    async () => {
      const pool = await backend.batch.pool.get("pool");
      const nodes = await backend.batch.computeNode.list("pool");
      return pool.allocationState === "steady" && nodes.length === idleNodes && nodes.every((node) => node.state === "idle") && { pool, nodes };
    },
    { what: `the pool steady with ${idleNodes} idle node(s)` },
  );
}

describe("pool sizing across a restart", () => {
  it("keeps each node's kind, the targets and the resize errors", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-sizing-restart-"));
    const first = await startOn(dataDir);
    open.push(first);
    await first.backend.batch.pool.add({ id: "pool", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1, targetLowPriorityNodes: 1 });
    await steadyPool(first.backend, 2);
    first.runtime.holdNodeStarts();
    await first.backend.batch.pool.resize("pool", { targetLowPriorityNodes: 2, resizeTimeout: "PT5M" });
    await first.clock.advance(5 * 60_000);
    await waitFor(async () => (await first.backend.batch.pool.get("pool")).allocationState === "steady", { what: "the resize to time out" });

    const second = await startOn(dataDir, new FakeClock(first.clock.now() + 60_000));
    open.push(second);
    const { pool, nodes } = await steadyPool(second.backend, 2);
    expect(pool).toMatchObject({ targetDedicatedNodes: 1, targetLowPriorityNodes: 2, currentDedicatedNodes: 1, currentLowPriorityNodes: 1 });
    expect(pool.resizeErrors?.map((error) => error.code)).toEqual(["AllocationTimedout"]);
    expect(nodes.map((node) => node.isDedicated).sort()).toEqual([false, true]);
  });

  it("a growth under way keeps its resizeTimeout across a restart, counted from when the resize began", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-sizing-restart-"));
    const first = await startOn(dataDir);
    open.push(first);
    await first.backend.batch.pool.add({ id: "pool", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
    await steadyPool(first.backend, 1);
    first.runtime.holdNodeStarts();
    await first.backend.batch.pool.resize("pool", { targetDedicatedNodes: 2, resizeTimeout: "PT5M" });
    await first.clock.advance(2 * 60_000);

    const clock = new FakeClock(first.clock.now());
    const runtime = new FakeNodeRuntime(clock);
    const starts = runtime.holdNodeStarts();
    const second = await startOn(dataDir, clock, runtime);
    open.push(second);
    expect((await second.backend.batch.pool.get("pool")).allocationState).toBe("resizing");
    await clock.advance(3 * 60_000 - 1_000);
    expect((await second.backend.batch.pool.get("pool")).allocationState).toBe("resizing");
    await clock.advance(1_000);
    await waitFor(async () => (await second.backend.batch.pool.get("pool")).allocationState === "steady", { what: "the resize to time out" });
    starts.open();
    const pool = await waitFor(
      async () => {
        const current = await second.backend.batch.pool.get("pool");
        return current.allocationState === "steady" && current.currentDedicatedNodes === 1 && current;
      },
      { what: "the resize to time out and the late node to go" },
    );
    expect(pool.targetDedicatedNodes).toBe(2);
    expect(pool.resizeErrors?.map((error) => error.code)).toEqual(["AllocationTimedout"]);
  });
});
