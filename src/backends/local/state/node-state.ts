import type { ComputeNode, ComputeNodeState } from "../../../core/models/index.js";
import { isoNow } from "./clock.js";
import type { NodeRecord, NodeUserRecord, PendingNodeOperation, TaskRecord } from "./records.js";
import { assertTransition, type TransitionTable } from "./transitions.js";
import type { StateContext } from "./versioning.js";

/** Every state a node leaves the pool from; `leavingpool` is reachable from all of them. */
const LEAVE = "leavingpool" as const;

/**
 * A compute node's life (REST `ComputeNodeState`): `creating` → `starting` →
 * (`waitingforstarttask` →) `idle` ⇄ `running`; `starttaskfailed` when a start task that must
 * succeed fails; `unusable` when it cannot run tasks; `offline` when it runs nothing and its
 * scheduling is disabled ("scheduling of new Tasks to the Compute Node is disabled"), and a node
 * whose scheduling is disabled comes up `offline` instead of `idle`; `rebooting`, `reimaging` and
 * `preempted` come back through `starting` (an unusable node whose container is recreated does
 * too; a restart of Malachite reboots every node); `deallocating` → `deallocated` (api-version
 * 2024-07-01) comes back through `starting` when started; `leavingpool` as it is removed.
 */
export const NODE_TRANSITIONS: TransitionTable<ComputeNodeState> = {
  creating: ["starting", "unusable", LEAVE],
  starting: ["waitingforstarttask", "idle", "offline", "unusable", "rebooting", LEAVE],
  waitingforstarttask: ["idle", "offline", "starttaskfailed", "unusable", "rebooting", LEAVE],
  idle: ["running", "unusable", "offline", "rebooting", "reimaging", "preempted", "deallocating", LEAVE],
  running: ["idle", "unusable", "offline", "rebooting", "reimaging", "preempted", "deallocating", LEAVE],
  starttaskfailed: ["rebooting", "reimaging", "unusable", LEAVE],
  unusable: ["rebooting", "reimaging", "starting", LEAVE],
  offline: ["idle", "running", "unusable", "rebooting", "reimaging", "preempted", "deallocating", LEAVE],
  rebooting: ["starting", "unusable", LEAVE],
  reimaging: ["starting", "unusable", LEAVE],
  preempted: ["starting", LEAVE],
  deallocating: ["deallocated", "unusable", LEAVE],
  deallocated: ["starting", LEAVE],
  unknown: ["unusable", LEAVE],
  leavingpool: [],
};

/** Told of every state change of a node, after it happened. */
export type NodeTransitionObserver = (record: NodeRecord, from: ComputeNodeState) => void;

/** The only writer of nodes' Batch fields (nodes have no ETag on the service). */
export class NodeStates {
  private readonly observers: NodeTransitionObserver[] = [];

  constructor(private readonly ctx: StateContext) {}

  /** Calls `observer` after every state change of a node (the node's agent log follows them). */
  observe(observer: NodeTransitionObserver): void {
    this.observers.push(observer);
  }

  transition(record: NodeRecord, to: ComputeNodeState, fields: Partial<ComputeNode> = {}): void {
    const node = record.node;
    const from = node.state;
    assertTransition(NODE_TRANSITIONS, "node", node.id, from, to);
    this.update(record, { ...fields, state: to, stateTransitionTime: isoNow(this.ctx.clock) });
    for (const observer of this.observers) observer(record, from);
  }

  update(record: NodeRecord, fields: Partial<ComputeNode>): void {
    Object.assign(record.node, fields);
    this.ctx.store.changed(record);
  }

  /** The node is up and may take tasks: `idle`, or `offline` while its scheduling is disabled. */
  ready(record: NodeRecord, fields: Partial<ComputeNode> = {}): void {
    this.transition(record, record.node.schedulingState === "disabled" ? "offline" : "idle", fields);
  }

  /** A reboot, reimage or deallocation was asked for (kept until done, so that a restart finishes it), or is done (undefined). */
  setPending(record: NodeRecord, pending: PendingNodeOperation | undefined): void {
    if (pending === undefined) delete record.pending;
    else record.pending = pending;
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
    if (record.running.size === 0 && record.node.state === "running") this.ready(record, counts);
    else this.update(record, counts);
  }
}
