/** What a task asks of its node besides slots: running alone (a job manager's runExclusive), a dedicated node (its allowLowPriorityNode: false), or not on nodes its job's preparation failed on. */
import { describe, expect, it } from "vitest";
import { planAssignments, type SchedulableNode, type SchedulablePool, type SchedulableTask } from "../../../src/backends/local/scheduling/plan-assignments.js";
import { node, task } from "../../support/schedulables.js";

function plan(nodes: SchedulableNode[], tasks: SchedulableTask[]): Record<string, string> {
  const pool: SchedulablePool = { taskSlotsPerNode: 4, nodeFillType: "pack", nodes };
  const assignments = planAssignments(tasks, new Map([["pool", pool]]), new Map([["job", { runningTasks: 0, maxParallelTasks: -1 }]]));
  return Object.fromEntries(assignments.map((a) => [a.taskKey, a.nodeId]));
}

describe("node demands in planAssignments", () => {
  it("an exclusive task takes only a node running nothing, and keeps later tasks off it", () => {
    expect(plan([node("busy", 1), node("free")], [task("m1", { runExclusive: true }), task("t2"), task("t3")])).toEqual({ m1: "free", t2: "busy", t3: "busy" });
    expect(plan([node("busy", 1)], [task("m1", { runExclusive: true })])).toEqual({});
  });

  it("nothing starts on a node where an exclusive task runs", () => {
    expect(plan([node("held", 1, { exclusive: true }), node("other", 3)], [task("t1"), task("t2")])).toEqual({ t1: "other" });
  });

  it("a task never goes to a node it is kept off", () => {
    expect(plan([node("bad", 2), node("good")], [task("t1", { excludedNodeIds: new Set(["bad"]) }), task("t2")])).toEqual({ t1: "good", t2: "bad" });
    expect(plan([node("bad")], [task("t1", { excludedNodeIds: new Set(["bad"]) })])).toEqual({});
  });

  it("a task that needs a dedicated node never goes to a Spot node; other tasks do", () => {
    const spot = node("spot", 2, { lowPriority: true });
    expect(plan([spot, node("dedicated")], [task("m1", { dedicatedOnly: true }), task("t2")])).toEqual({ m1: "dedicated", t2: "spot" });
    expect(plan([node("spot", 0, { lowPriority: true })], [task("m1", { dedicatedOnly: true })])).toEqual({});
  });
});
