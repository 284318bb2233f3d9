import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HeldProgram } from "../../support/held-program.js";
import { rejectionOf } from "../../support/rejection-of.js";
import { settle } from "../../support/settle.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
let work: HeldProgram;

beforeEach(async () => {
  bed = await TestBed.start();
  work = bed.runtime.hold("work");
});

afterEach(async () => {
  await bed.close();
});

function steadyWith(poolId: string, nodes: number) {
  return bed.waitFor(async () => {
    const pool = await bed.batch.pool.get(poolId);
    const list = await bed.batch.computeNode.list(poolId);
    return pool.allocationState === "steady" && list.length === nodes && list.every((n) => n.state === "idle" || n.state === "running") && pool;
  }, `pool ${poolId} steady with ${nodes} node(s)`);
}

/** Two nodes of one slot, one held task running on each. */
async function twoBusyNodes(): Promise<void> {
  await bed.addPool("p", { targetDedicatedNodes: 2 });
  await bed.addJob("j", "p");
  await bed.batch.task.addCollection("j", [
    { id: "a", commandLine: "work" },
    { id: "b", commandLine: "work" },
  ]);
  await work.started("a");
  await work.started("b");
}

describe("pool resize", () => {
  it("grows a pool: resizing, then steady with the new nodes idle", async () => {
    await bed.addPool("p");
    await bed.batch.pool.resize("p", { targetDedicatedNodes: 3 });
    expect((await bed.batch.pool.get("p")).allocationState).toBe("resizing");
    const pool = await steadyWith("p", 3);
    expect(pool).toMatchObject({ targetDedicatedNodes: 3, currentDedicatedNodes: 3 });
    expect(bed.runtime.nodes.size).toBe(3);
  });

  it("refuses a resize while the pool is resizing", async () => {
    const started = bed.runtime.holdNodeStarts();
    await bed.batch.pool.add({ id: "p", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
    const error = await rejectionOf(bed.batch.pool.resize("p", { targetDedicatedNodes: 2 }));
    expect([error.statusCode, error.code]).toEqual([409, "PoolNotSteady"]);
    started.open();
    await steadyWith("p", 1);
  });

  it("shrinks with requeue: the removed node's task is stopped and runs again later", async () => {
    await twoBusyNodes();
    await bed.batch.pool.resize("p", { targetDedicatedNodes: 1, nodeDeallocationOption: "requeue" });
    await steadyWith("p", 1);
    const states = await Promise.all(["a", "b"].map((id) => bed.batch.task.get("j", id)));
    const requeued = states.find((task) => task.state === "active");
    const kept = states.find((task) => task.state === "running");
    expect(requeued?.executionInfo.requeueCount).toBe(1);
    expect(requeued?.executionInfo.lastRequeueTime).toBe(bed.clock.iso());
    expect(requeued?.nodeInfo).toBeUndefined();
    expect(kept?.executionInfo.requeueCount).toBe(0);
    expect(bed.runtime.removed).toHaveLength(1);

    (await work.started(kept?.id as string)).finish(0);
    (await work.started(requeued?.id as string)).finish(0);
    const done = await bed.taskIn("j", requeued?.id as string, "completed");
    expect(done.executionInfo).toMatchObject({ result: "success", requeueCount: 1 });
  });

  it("shrinks with taskcompletion: the node leaves only after its task has finished", async () => {
    await twoBusyNodes();
    await bed.batch.pool.resize("p", { targetDedicatedNodes: 1, nodeDeallocationOption: "taskcompletion" });
    await settle(20);
    expect([work.running.length, bed.runtime.nodes.size]).toEqual([2, 2]);
    expect((await bed.batch.pool.get("p")).allocationState).toBe("resizing");

    work.finishAll(0);
    await steadyWith("p", 1);
    for (const id of ["a", "b"]) {
      expect((await bed.taskIn("j", id, "completed")).executionInfo).toMatchObject({ result: "success", requeueCount: 0 });
    }
  });
});

describe("pool delete", () => {
  it("stops the pool's tasks, removes its nodes, then forgets it; deleting it again meanwhile is PoolBeingDeleted", async () => {
    await twoBusyNodes();
    const kills = bed.runtime.holdKills();
    await bed.batch.pool.delete("p");
    expect((await bed.batch.pool.get("p")).state).toBe("deleting");
    const again = await rejectionOf(bed.batch.pool.delete("p"));
    expect([again.statusCode, again.code]).toEqual([409, "PoolBeingDeleted"]);
    kills.open();

    await bed.waitFor(async () => !(await bed.batch.pool.exists("p")), "the pool to go");
    expect(work.runs.map((run) => run.killed)).toEqual([true, true]);
    expect(bed.runtime.nodes.size).toBe(0);
    expect(await bed.runtime.listManaged({ "malachite.pool": "p" })).toEqual([]);
    const tasks = await bed.batch.task.list("j");
    expect(tasks.map((task) => task.state)).toEqual(["active", "active"]);
  });
});
