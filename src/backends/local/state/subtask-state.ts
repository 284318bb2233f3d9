import type { ComputeNodeInformation, SubtaskInformation, SubtaskState } from "../../../core/models/index.js";
import { isoNow } from "./clock.js";
import type { TaskRecord } from "./records.js";
import { assertTransition, type TransitionTable } from "./transitions.js";
import { shiftState, type StateContext } from "./versioning.js";

/**
 * A subtask's life (REST `SubtaskState`): it starts `running` (the SDKs: "previousState ... is not
 * set if the subtask is in its initial running state") and is `completed` when its coordination
 * command fails or the primary ends. `preparing` is in the REST enum but Malachite has no job
 * preparation task to run before a subtask.
 */
export const SUBTASK_TRANSITIONS: TransitionTable<SubtaskState> = {
  preparing: ["running", "completed"],
  running: ["completed"],
  completed: [],
};

/**
 * The only writer of a multi-instance task's subtasks (`record.subtasks`). They are journaled with
 * their task; like the service, a change to a subtask leaves the task's ETag alone.
 */
export class SubtaskStates {
  constructor(private readonly ctx: StateContext) {}

  /** The subtasks of a new attempt, one per node (ids from 1: the primary is 0), `running` from now. */
  begin(record: TaskRecord, nodes: ComputeNodeInformation[]): SubtaskInformation[] {
    const now = isoNow(this.ctx.clock);
    const subtasks = nodes.map((nodeInfo, index): SubtaskInformation => ({
      id: index + 1,
      nodeInfo,
      startTime: now,
      state: "running",
      stateTransitionTime: now,
    }));
    record.subtasks = subtasks;
    this.ctx.store.changed(record);
    return subtasks;
  }

  /** A requeued task's subtasks go with the attempt they belonged to; the next attempt makes new ones. */
  drop(record: TaskRecord): void {
    if (record.subtasks === undefined) return;
    record.subtasks = undefined;
    this.ctx.store.changed(record);
  }

  /** Ends a running subtask with how its coordination command ended. */
  complete(record: TaskRecord, subtask: SubtaskInformation, fields: Pick<SubtaskInformation, "exitCode" | "result" | "failureInfo">): void {
    assertTransition(SUBTASK_TRANSITIONS, "subtask", String(subtask.id), subtask.state, "completed");
    const now = isoNow(this.ctx.clock);
    shiftState(subtask, "completed", now);
    Object.assign(subtask, { endTime: now, ...fields });
    this.ctx.store.changed(record);
  }
}
