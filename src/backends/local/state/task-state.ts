import type { CloudTask, TaskState } from "../../../core/models/index.js";
import { isoNow } from "./clock.js";
import { indexTaskChanged } from "./job-task-index.js";
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

/** Told of a task's state change after it is recorded: the task (in its new state) and the state it left. */
export type TaskTransitionObserver = (record: TaskRecord, from: TaskState) => void;

/** The only writer of tasks' Batch fields: every change gets a new ETag and last-modified time. */
export class TaskStates {
  private readonly observers: TaskTransitionObserver[] = [];

  constructor(private readonly ctx: StateContext) {}

  /** Calls `observer` after every state change of a task (services that follow them: retention). */
  observe(observer: TaskTransitionObserver): void {
    this.observers.push(observer);
  }

  /** Moves the task to `to`, together with the fields that change with it. */
  transition(record: TaskRecord, to: TaskState, fields: Partial<CloudTask> = {}): void {
    const task = record.task;
    const from = task.state;
    assertTransition(TASK_TRANSITIONS, "task", task.id, from, to);
    shiftState(task, to, isoNow(this.ctx.clock));
    this.update(record, fields);
    for (const observer of this.observers) observer(record, from);
  }

  /** Changes fields other than the state. */
  update(record: TaskRecord, fields: Partial<CloudTask>): void {
    applyVersioned(record.task, fields, this.ctx.clock);
    indexTaskChanged(record);
    this.ctx.store.changed(record);
  }
}
