import { describe, expect, it } from "vitest";
import { pickInstanceNodes, planAssignments, type SchedulableNode, type SchedulablePool } from "../../../src/backends/local/scheduling/plan-assignments.js";
import { node, task, job } from "../../support/schedulables.js";

function mpiPool(nodes: SchedulableNode[], extra: Partial<SchedulablePool> = {}): SchedulablePool {
  return { taskSlotsPerNode: 1, nodeFillType: "spread", interNodeCommunication: true, nodes, ...extra };
}

describe("pickInstanceNodes", () => {
  it("takes distinct free nodes, skipping busy, unready, disabled and leaving ones", () => {
    const pool = mpiPool([
      node("busy", 1),
      node("a"),
      node("starting", 0, { state: "starting" }),
      node("disabled", 0, { schedulingState: "disabled" }),
      node("leaving", 0, { leaving: true }),
      node("b"),
      node("c"),
    ]);
    expect(pickInstanceNodes(pool, 3)?.map((n) => n.id)).toEqual(["a", "b", "c"]);
    expect(pickInstanceNodes(pool, 4)).toBeUndefined();
  });

  it("needs inter-node communication and one slot per node (batch-mpi.md: otherwise the task stays active)", () => {
    expect(pickInstanceNodes(mpiPool([node("a"), node("b")], { interNodeCommunication: false }), 2)).toBeUndefined();
    expect(pickInstanceNodes(mpiPool([node("a"), node("b")], { taskSlotsPerNode: 2 }), 2)).toBeUndefined();
  });
});

describe("planAssignments with multi-instance tasks", () => {
  it("gives a multi-instance task its primary and subtask nodes, and what is left to the tasks behind it", () => {
    const pool = mpiPool([node("a"), node("b"), node("c")]);
    const plan = planAssignments([task("t1", { instances: 2 }), task("t2")], new Map([["pool", pool]]), new Map([["job", job]]));
    expect(plan).toEqual([
      { taskKey: "t1", poolKey: "pool", nodeId: "a", subtaskNodeIds: ["b"] },
      { taskKey: "t2", poolKey: "pool", nodeId: "c" },
    ]);
    expect(pool.nodes.every((n) => n.usedSlots === 0)).toBe(true);
  });

  it("does not let a multi-instance task that does not fit block smaller tasks, and counts it once against maxParallelTasks", () => {
    const pool = mpiPool([node("a"), node("b")]);
    const waiting = planAssignments([task("t1", { instances: 3 }), task("t2")], new Map([["pool", pool]]), new Map([["job", job]]));
    expect(waiting).toEqual([{ taskKey: "t2", poolKey: "pool", nodeId: "a" }]);
    const limited = planAssignments(
      [task("t1", { instances: 2 }), task("t2")],
      new Map([["pool", mpiPool([node("a"), node("b"), node("c")])]]),
      new Map([["job", { runningTasks: 0, maxParallelTasks: 1 }]]),
    );
    expect(limited.map((a) => a.taskKey)).toEqual(["t1"]);
  });
});
