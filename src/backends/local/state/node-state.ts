import type { ComputeNode, ComputeNodeState } from "../../../core/models/index.js";
import { isoNow } from "./clock.js";
import type { NodeRecord, NodeUserRecord, TaskRecord } from "./records.js";
import { assertTransition, type TransitionTable } from "./transitions.js";
import type { StateContext } from "./versioning.js";

/** Every state a node leaves the pool from; `leavingpool` is reachable from all of them. */
const LEAVE = "leavingpool" as const;

/**
 * A compute node's life (REST `ComputeNodeState`): `creating` → `starting` →
 * (`waitingforstarttask` →) `idle` ⇄ `running`; `starttaskfailed` when a start task that must
 * succeed fails; `unusable` when it cannot run tasks; `offline`, `rebooting`, `reimaging` and
 * `preempted` come back through `starting` (an unusable node whose container is recreated does
 * too; a restart of Malachite reboots every node); `leavingpool` as it is removed.
 */
export const NODE_TRANSITIONS: TransitionTable<ComputeNodeState> = {
  creating: ["starting", "unusable", LEAVE],
  starting: ["waitingforstarttask", "idle", "unusable", "rebooting", LEAVE],
  waitingforstarttask: ["idle", "starttaskfailed", "unusable", "rebooting", LEAVE],
  idle: ["running", "unusable", "offline", "rebooting", "reimaging", "preempted", LEAVE],
  running: ["idle", "unusable", "offline", "rebooting", "reimaging", "preempted", LEAVE],
  starttaskfailed: ["rebooting", "reimaging", "unusable", LEAVE],
  unusable: ["rebooting", "reimaging", "starting", LEAVE],
  offline: ["idle", "running", "unusable", LEAVE],
  rebooting: ["starting", "unusable", LEAVE],
  reimaging: ["starting", "unusable", LEAVE],
  preempted: ["starting", LEAVE],
  unknown: ["unusable", LEAVE],
  leavingpool: [],
};

/** The only writer of nodes' Batch fields (nodes have no ETag on the service). */
export class NodeStates {
  constructor(private readonly ctx: StateContext) {}

  transition(record: NodeRecord, to: ComputeNodeState, fields: Partial<ComputeNode> = {}): void {
    const node = record.node;
    assertTransition(NODE_TRANSITIONS, "node", node.id, node.state, to);
    this.update(record, { ...fields, state: to, stateTransitionTime: isoNow(this.ctx.clock) });
  }

  update(record: NodeRecord, fields: Partial<ComputeNode>): void {
    Object.assign(record.node, fields);
    this.ctx.store.changed(record);
  }

  /** The node's users changed (added, replaced, deleted; none after a reimage). */
  setUsers(record: NodeRecord, users: NodeUserRecord[]): void {
    record.users = users;
    this.ctx.store.changed(record);
  }

  /** A task claimed slots on the node: counts up, and an idle node is now running. */
  taskStarted(record: NodeRecord, taskKey: string, task: TaskRecord): void {
    record.running.set(taskKey, task);
    record.usedSlots += task.task.requiredSlots;
    const counts = { runningTasksCount: record.running.size, runningTaskSlotsCount: record.usedSlots };
    if (record.node.state === "idle") this.transition(record, "running", counts);
    else this.update(record, counts);
  }

  /** A task gave its slots back: counts down, and a node with nothing left running is idle. */
  taskEnded(record: NodeRecord, taskKey: string): void {
    const task = record.running.get(taskKey);
    if (!task) return;
    record.running.delete(taskKey);
    record.usedSlots -= task.task.requiredSlots;
    const counts = { runningTasksCount: record.running.size, runningTaskSlotsCount: record.usedSlots };
    if (record.running.size === 0 && record.node.state === "running") this.transition(record, "idle", counts);
    else this.update(record, counts);
  }
}
