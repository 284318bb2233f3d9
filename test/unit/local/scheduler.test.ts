import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HeldProgram } from "../../support/held-program.js";
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

/** Task id → state, for one job. */
async function states(jobId: string): Promise<Record<string, string>> {
  return Object.fromEntries((await bed.batch.task.list(jobId)).map((task) => [task.id, task.state]));
}

async function nodeOf(jobId: string, taskId: string): Promise<string | undefined> {
  return (await bed.batch.task.get(jobId, taskId)).nodeInfo?.nodeId;
}

function running(count: number) {
  return bed.waitFor(() => work.running.length === count, `${count} running process(es)`);
}

describe("the scheduler", () => {
  it("runs as many tasks on a node as it has slots, and the next one when a slot frees", async () => {
    await bed.addPool("p", { taskSlotsPerNode: 2 });
    await bed.addJob("j", "p");
    await bed.batch.task.addCollection(
      "j",
      [1, 2, 3].map((i) => ({ id: `t${i}`, commandLine: "work" })),
    );
    await running(2);
    expect(await states("j")).toEqual({ t1: "running", t2: "running", t3: "active" });
    const [node] = await bed.batch.computeNode.list("p");
    expect(node).toMatchObject({ state: "running", runningTasksCount: 2, runningTaskSlotsCount: 2 });

    (await work.started("t1")).finish(0);
    await bed.taskIn("j", "t3", "running");
    expect(await states("j")).toEqual({ t1: "completed", t2: "running", t3: "running" });
    await work.started("t3");
    work.finishAll(0);
    await bed.taskIn("j", "t3", "completed");
    const [after] = await bed.batch.computeNode.list("p");
    expect(after).toMatchObject({ state: "idle", runningTasksCount: 0, runningTaskSlotsCount: 0, totalTasksRun: 3, totalTasksSucceeded: 3 });
  });

  it("spreads tasks over nodes with nodeFillType spread", async () => {
    await bed.addPool("p", { targetDedicatedNodes: 2, taskSlotsPerNode: 2, taskSchedulingPolicy: { nodeFillType: "spread" } });
    await bed.addJob("j", "p");
    await bed.batch.task.addCollection("j", [
      { id: "a", commandLine: "work" },
      { id: "b", commandLine: "work" },
    ]);
    await running(2);
    expect(await nodeOf("j", "a")).not.toBe(await nodeOf("j", "b"));
  });

  it("fills one node first with nodeFillType pack", async () => {
    await bed.addPool("p", { targetDedicatedNodes: 2, taskSlotsPerNode: 2, taskSchedulingPolicy: { nodeFillType: "pack" } });
    await bed.addJob("j", "p");
    await bed.batch.task.addCollection("j", [
      { id: "a", commandLine: "work" },
      { id: "b", commandLine: "work" },
    ]);
    await running(2);
    expect(await nodeOf("j", "a")).toBe(await nodeOf("j", "b"));
    const nodes = await bed.batch.computeNode.list("p");
    expect(nodes.map((node) => node.runningTaskSlotsCount).sort()).toEqual([0, 2]);
  });

  it("gives a freed slot to the job of higher priority, then to the older job", async () => {
    await bed.addPool("p");
    await bed.addJob("first", "p");
    await bed.batch.task.add("first", { id: "blocker", commandLine: "work" });
    await running(1);
    await bed.addJob("low", "p", { priority: 0 });
    await bed.addJob("high", "p", { priority: 100 });
    await bed.addJob("low2", "p", { priority: 0 });
    await bed.batch.task.add("low", { id: "l", commandLine: "work" });
    await bed.batch.task.add("low2", { id: "l2", commandLine: "work" });
    await bed.batch.task.add("high", { id: "h", commandLine: "work" });

    (await work.started("blocker")).finish(0);
    await bed.taskIn("high", "h", "running");
    expect([(await bed.batch.task.get("low", "l")).state, (await bed.batch.task.get("low2", "l2")).state]).toEqual(["active", "active"]);
    (await work.started("h")).finish(0);
    await bed.taskIn("low", "l", "running");
    expect((await bed.batch.task.get("low2", "l2")).state).toBe("active");
  });

  it("runs no more of a job's tasks at once than its maxParallelTasks", async () => {
    await bed.addPool("p", { taskSlotsPerNode: 4 });
    await bed.addJob("j", "p", { maxParallelTasks: 2 });
    await bed.batch.task.addCollection(
      "j",
      [1, 2, 3, 4].map((i) => ({ id: `t${i}`, commandLine: "work" })),
    );
    await running(2);
    expect(await states("j")).toEqual({ t1: "running", t2: "running", t3: "active", t4: "active" });
    (await work.started("t2")).finish(0);
    await bed.taskIn("j", "t3", "running");
    expect(await states("j")).toEqual({ t1: "running", t2: "completed", t3: "running", t4: "active" });
  });

  it("counts requiredSlots, and a task that does not fit does not hold back smaller ones", async () => {
    await bed.addPool("p", { taskSlotsPerNode: 4 });
    await bed.addJob("j", "p");
    await bed.batch.task.addCollection("j", [
      { id: "big", commandLine: "work", requiredSlots: 3 },
      { id: "also-big", commandLine: "work", requiredSlots: 2 },
      { id: "small", commandLine: "work", requiredSlots: 1 },
    ]);
    await running(2);
    expect(await states("j")).toEqual({ big: "running", "also-big": "active", small: "running" });
    const [node] = await bed.batch.computeNode.list("p");
    expect(node).toMatchObject({ runningTasksCount: 2, runningTaskSlotsCount: 4 });
    const counts = await bed.batch.job.getTaskCounts("j");
    expect(counts.taskSlotCounts).toMatchObject({ active: 2, running: 4 });

    (await work.started("big")).finish(0);
    await bed.taskIn("j", "also-big", "running");
  });

  it("starts a job's tasks in the order they were added", async () => {
    await bed.addPool("p");
    await bed.addJob("j", "p");
    await bed.batch.task.addCollection(
      "j",
      ["c", "a", "b"].map((id) => ({ id, commandLine: "work" })),
    );
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      await running(1);
      const [current] = work.running;
      order.push(current?.env.AZ_BATCH_TASK_ID as string);
      current?.finish(0);
    }
    expect(order).toEqual(["c", "a", "b"]);
  });
});
