import { describe, expect, it } from "vitest";
import type { CloudJob, CloudPool, CloudTask, ComputeNode } from "../../../src/core/models/index.js";
import { BatchState } from "../../../src/backends/local/state/batch-state.js";
import type { Clock } from "../../../src/backends/local/state/clock.js";
import { EntityStates } from "../../../src/backends/local/state/entity-states.js";
import { JOB_TRANSITIONS } from "../../../src/backends/local/state/job-state.js";
import { NODE_TRANSITIONS } from "../../../src/backends/local/state/node-state.js";
import { ALLOCATION_TRANSITIONS, POOL_TRANSITIONS } from "../../../src/backends/local/state/pool-state.js";
import type { JobRecord, NodeRecord, PoolRecord, TaskRecord } from "../../../src/backends/local/state/records.js";
import { TASK_TRANSITIONS } from "../../../src/backends/local/state/task-state.js";
import { IllegalTransitionError, type TransitionTable } from "../../../src/backends/local/state/transitions.js";

const START = Date.parse("2026-01-01T00:00:00Z");

/** A clock that only moves when told: every change here happens in the same millisecond unless a test advances it. */
function stoppedClock(): Clock & { advance(ms: number): void } {
  let now = START;
  return { now: () => now, setTimer: () => ({ cancel: () => undefined }), advance: (ms) => (now += ms) };
}

function setup() {
  const clock = stoppedClock();
  const store = new BatchState();
  const changed: unknown[] = [];
  store.changed = (record) => void changed.push(record);
  return { clock, store, changed, states: new EntityStates({ store, clock }) };
}

const iso = new Date(START).toISOString();

function taskRecord(state: CloudTask["state"]): TaskRecord {
  const task = { id: "t", url: "u", eTag: "0x0", lastModified: iso, creationTime: iso, state, stateTransitionTime: iso, commandLine: "x" };
  return {
    jobId: "j",
    sequence: 0,
    task: { ...task, requiredSlots: 1, constraints: {}, executionInfo: { retryCount: 0, requeueCount: 0 } } as unknown as CloudTask,
  };
}

function jobRecord(state: CloudJob["state"]): JobRecord {
  const job = { id: "j", url: "u", eTag: "0x0", lastModified: iso, creationTime: iso, state, stateTransitionTime: iso, poolInfo: { poolId: "p" } };
  return { job: { ...job, executionInfo: { startTime: iso } } as unknown as CloudJob, tasks: new Map(), sequence: 0, nextTaskSequence: 0 };
}

function poolRecord(state: CloudPool["state"], allocationState: CloudPool["allocationState"] = "steady"): PoolRecord {
  const pool = { id: "p", url: "u", eTag: "0x0", lastModified: iso, state, stateTransitionTime: iso, allocationState, allocationStateTransitionTime: iso };
  return { pool: pool as unknown as CloudPool, nodes: new Map(), nextNodeIndex: 1 };
}

function nodeRecord(state: ComputeNode["state"]): NodeRecord {
  const node = { id: "n", state, stateTransitionTime: iso, runningTasksCount: 0, runningTaskSlotsCount: 0 } as unknown as ComputeNode;
  return { poolId: "p", node, hostRoot: "/nonexistent", running: new Map(), usedSlots: 0, leaving: false };
}

/** Every (from, to) pair of a table's states, with whether the table allows it. */
function pairs<S extends string>(table: TransitionTable<S>): [S, S, boolean][] {
  const states = Object.keys(table) as S[];
  return states.flatMap((from) => states.map((to): [S, S, boolean] => [from, to, table[from].includes(to)]));
}

describe("task state machine", () => {
  it.each(pairs(TASK_TRANSITIONS))("%s → %s allowed: %s", (from, to, allowed) => {
    const { states, clock, changed } = setup();
    const record = taskRecord(from);
    clock.advance(1000);
    if (!allowed) {
      expect(() => states.task.transition(record, to)).toThrow(IllegalTransitionError);
      expect(record.task.state).toBe(from);
      return;
    }
    states.task.transition(record, to);
    const later = new Date(START + 1000).toISOString();
    expect(record.task).toMatchObject({ state: to, previousState: from, stateTransitionTime: later, previousStateTransitionTime: iso, lastModified: later });
    expect(record.task.eTag).not.toBe("0x0");
    expect(changed).toEqual([record]);
  });

  it("gives a new ETag on every change, even within one millisecond", () => {
    const { states } = setup();
    const record = taskRecord("active");
    const seen = new Set([record.task.eTag]);
    for (const to of ["running", "active", "running", "completed", "active"] as const) {
      states.task.transition(record, to);
      seen.add(record.task.eTag);
    }
    states.task.update(record, { displayName: "renamed" });
    seen.add(record.task.eTag);
    expect(seen.size).toBe(7);
  });
});

describe("job state machine", () => {
  it.each(pairs(JOB_TRANSITIONS))("%s → %s allowed: %s", (from, to, allowed) => {
    const { states } = setup();
    const record = jobRecord(from);
    if (!allowed) {
      expect(() => states.job.transition(record, to)).toThrow(IllegalTransitionError);
      return;
    }
    states.job.transition(record, to, { executionInfo: { startTime: iso, terminateReason: "why" } });
    expect(record.job).toMatchObject({ state: to, previousState: from, executionInfo: { terminateReason: "why" } });
    expect(record.job.eTag).not.toBe("0x0");
  });
});

describe("pool state machines", () => {
  it.each(pairs(POOL_TRANSITIONS))("state %s → %s allowed: %s", (from, to, allowed) => {
    const { states } = setup();
    const record = poolRecord(from);
    if (!allowed) {
      expect(() => states.pool.transition(record, to)).toThrow(IllegalTransitionError);
      return;
    }
    states.pool.transition(record, to);
    expect(record.pool.state).toBe(to);
    expect(record.pool.eTag).not.toBe("0x0");
  });

  it.each(pairs(ALLOCATION_TRANSITIONS).filter(([from, to]) => from !== to))("allocation %s → %s allowed: %s", (from, to, allowed) => {
    const { states } = setup();
    const record = poolRecord("active", from);
    if (!allowed) {
      expect(() => states.pool.allocate(record, to)).toThrow(IllegalTransitionError);
      return;
    }
    states.pool.allocate(record, to, { currentDedicatedNodes: 3 });
    expect(record.pool).toMatchObject({ allocationState: to, currentDedicatedNodes: 3 });
  });

  it("staying in the same allocation state keeps the version unless fields change", () => {
    const { states } = setup();
    const record = poolRecord("active", "steady");
    states.pool.allocate(record, "steady");
    expect(record.pool.eTag).toBe("0x0");
    states.pool.allocate(record, "steady", { currentDedicatedNodes: 1 });
    expect(record.pool.eTag).not.toBe("0x0");
  });
});

describe("node state machine", () => {
  it.each(pairs(NODE_TRANSITIONS))("%s → %s allowed: %s", (from, to, allowed) => {
    const { states } = setup();
    const record = nodeRecord(from);
    if (!allowed) {
      expect(() => states.node.transition(record, to)).toThrow(IllegalTransitionError);
      return;
    }
    states.node.transition(record, to);
    expect(record.node.state).toBe(to);
  });

  it("every state can leave the pool, and nothing comes back from leaving it", () => {
    for (const [from, targets] of Object.entries(NODE_TRANSITIONS)) {
      if (from !== "leavingpool") expect(targets).toContain("leavingpool");
    }
    expect(NODE_TRANSITIONS.leavingpool).toEqual([]);
  });

  it("goes running with its first task and idle with its last, counting slots", () => {
    const { states } = setup();
    const node = nodeRecord("idle");
    const a = taskRecord("running");
    const b = { ...taskRecord("running"), task: { ...taskRecord("running").task, requiredSlots: 2 } };
    states.node.taskStarted(node, "j/a", a);
    states.node.taskStarted(node, "j/b", b);
    expect(node.node).toMatchObject({ state: "running", runningTasksCount: 2, runningTaskSlotsCount: 3 });
    states.node.taskEnded(node, "j/a");
    expect(node.node).toMatchObject({ state: "running", runningTasksCount: 1, runningTaskSlotsCount: 2 });
    states.node.taskEnded(node, "j/b");
    states.node.taskEnded(node, "j/b");
    expect(node.node).toMatchObject({ state: "idle", runningTasksCount: 0, runningTaskSlotsCount: 0 });
  });
});
