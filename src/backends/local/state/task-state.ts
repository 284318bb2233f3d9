import type { CloudTask, TaskState } from "../../../core/models/index.js";
import { isoNow } from "./clock.js";
import type { TaskRecord } from "./records.js";
import { assertTransition, type TransitionTable } from "./transitions.js";
import { applyVersioned, shiftState, type StateContext } from "./versioning.js";

/**
 * A task's life (REST `TaskState`): added `active`; `preparing` while a job preparation task
 * runs on its node; `running`; `completed`. Back to `active` when it is requeued (its node left
 * the pool) or reactivated after completing.
 */
export const TASK_TRANSITIONS: TransitionTable<TaskState> = {
  active: ["preparing", "running", "completed"],
  preparing: ["running", "active", "completed"],
  running: ["completed", "active"],
  completed: ["active"],
};

/** The only writer of tasks' Batch fields: every change gets a new ETag and last-modified time. */
export class TaskStates {
  constructor(private readonly ctx: StateContext) {}

  /** Moves the task to `to`, together with the fields that change with it. */
  transition(record: TaskRecord, to: TaskState, fields: Partial<CloudTask> = {}): void {
    const task = record.task;
    assertTransition(TASK_TRANSITIONS, "task", task.id, task.state, to);
    shiftState(task, to, isoNow(this.ctx.clock));
    this.update(record, fields);
  }

  /** Changes fields other than the state. */
  update(record: TaskRecord, fields: Partial<CloudTask>): void {
    applyVersioned(record.task, fields, this.ctx.clock);
    this.ctx.store.changed(record);
  }
}
