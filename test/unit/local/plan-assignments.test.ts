import { describe, expect, it } from "vitest";
import { pickNode, planAssignments, type SchedulablePool } from "../../../src/backends/local/scheduling/plan-assignments.js";
import { node, task, job } from "../../support/schedulables.js";

function pools(pool: SchedulablePool): Map<string, SchedulablePool> {
  return new Map([["pool", pool]]);
}

describe("pickNode", () => {
  it("spreads onto the least loaded node", () => {
    const pool: SchedulablePool = { taskSlotsPerNode: 4, nodeFillType: "spread", nodes: [node("a", 2), node("b", 1), node("c", 3)] };
    expect(pickNode(pool, 1)?.id).toBe("b");
  });

  it("packs onto the most loaded node that still fits", () => {
    const pool: SchedulablePool = { taskSlotsPerNode: 4, nodeFillType: "pack", nodes: [node("a", 2), node("b", 4), node("c", 3)] };
    expect(pickNode(pool, 1)?.id).toBe("c");
    expect(pickNode(pool, 2)?.id).toBe("a");
  });

  it("skips nodes that are not ready, disabled or leaving", () => {
    const pool: SchedulablePool = {
      taskSlotsPerNode: 1,
      nodeFillType: "spread",
      nodes: [
        node("starting", 0, { state: "waitingforstarttask" }),
        node("failed", 0, { state: "starttaskfailed" }),
        node("disabled", 0, { schedulingState: "disabled" }),
        node("leaving", 0, { leaving: true }),
      ],
    };
    expect(pickNode(pool, 1)).toBeUndefined();
  });
});

describe("planAssignments", () => {
  it("fills free slots in the order tasks were added", () => {
    const pool: SchedulablePool = { taskSlotsPerNode: 2, nodeFillType: "spread", nodes: [node("a"), node("b")] };
    const tasks = [task("t3"), task("t1"), task("t2"), task("t4"), task("t5")];
    const plan = planAssignments(tasks, pools(pool), new Map([["job", job]]));
    expect(plan.map((a) => a.taskKey)).toEqual(["t1", "t2", "t3", "t4"]);
    expect(plan.filter((a) => a.nodeId === "a")).toHaveLength(2);
    expect(plan.filter((a) => a.nodeId === "b")).toHaveLength(2);
  });

  it("does not change its inputs", () => {
    const pool: SchedulablePool = { taskSlotsPerNode: 1, nodeFillType: "spread", nodes: [node("a")] };
    planAssignments([task("t1")], pools(pool), new Map([["job", job]]));
    expect(pool.nodes[0]?.usedSlots).toBe(0);
  });

  it("lets a small task pass a big one that does not fit", () => {
    const pool: SchedulablePool = { taskSlotsPerNode: 2, nodeFillType: "spread", nodes: [node("a", 1)] };
    const plan = planAssignments([task("t1", { requiredSlots: 2 }), task("t2")], pools(pool), new Map([["job", job]]));
    expect(plan.map((a) => a.taskKey)).toEqual(["t2"]);
  });

  it("serves jobs of higher priority first, then older jobs", () => {
    const pool: SchedulablePool = { taskSlotsPerNode: 1, nodeFillType: "spread", nodes: [node("a")] };
    const jobs = new Map([
      ["old", job],
      ["urgent", job],
    ]);
    const plan = planAssignments(
      [task("t1", { jobKey: "old", jobSequence: 0 }), task("t2", { jobKey: "urgent", jobSequence: 1, jobPriority: 100 })],
      pools(pool),
      jobs,
    );
    expect(plan.map((a) => a.taskKey)).toEqual(["t2"]);
  });

  it("honours a job's maxParallelTasks, counting tasks already running", () => {
    const pool: SchedulablePool = { taskSlotsPerNode: 4, nodeFillType: "spread", nodes: [node("a", 1)] };
    const plan = planAssignments([task("t1"), task("t2"), task("t3")], pools(pool), new Map([["job", { runningTasks: 1, maxParallelTasks: 2 }]]));
    expect(plan.map((a) => a.taskKey)).toEqual(["t1"]);
  });

  it("ignores tasks whose pool or job is unknown", () => {
    const pool: SchedulablePool = { taskSlotsPerNode: 1, nodeFillType: "spread", nodes: [node("a")] };
    expect(planAssignments([task("t1", { poolKey: "gone" })], pools(pool), new Map([["job", job]]))).toEqual([]);
  });
});
