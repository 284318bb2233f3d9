import type { CloudJob, JobState } from "../../../core/models/index.js";
import { isoNow } from "./clock.js";
import type { JobRecord } from "./records.js";
import { assertTransition, type TransitionTable } from "./transitions.js";
import { applyVersioned, shiftState, type StateContext } from "./versioning.js";

/**
 * A job's life (REST `JobState`): `active`; disabled through `disabling` and enabled again
 * through `enabling`; ended through `terminating` to `completed`; `deleting` from any state but
 * `deleting`, after which it is gone.
 */
export const JOB_TRANSITIONS: TransitionTable<JobState> = {
  active: ["disabling", "terminating", "deleting"],
  disabling: ["disabled", "terminating", "deleting"],
  disabled: ["enabling", "terminating", "deleting"],
  enabling: ["active", "terminating", "deleting"],
  terminating: ["completed", "deleting"],
  completed: ["deleting"],
  deleting: [],
};

/** The only writer of jobs' Batch fields: every change gets a new ETag and last-modified time. */
export class JobStates {
  private readonly transitionListeners: ((record: JobRecord) => void)[] = [];

  constructor(private readonly ctx: StateContext) {}

  /** Calls `listener` after every state change of a job (job schedules follow their jobs this way). */
  onTransition(listener: (record: JobRecord) => void): void {
    this.transitionListeners.push(listener);
  }

  transition(record: JobRecord, to: JobState, fields: Partial<CloudJob> = {}): void {
    const job = record.job;
    assertTransition(JOB_TRANSITIONS, "job", job.id, job.state, to);
    shiftState(job, to, isoNow(this.ctx.clock));
    this.update(record, fields);
    for (const listener of this.transitionListeners) listener(record);
  }

  update(record: JobRecord, fields: Partial<CloudJob>): void {
    applyVersioned(record.job, fields, this.ctx.clock);
    this.ctx.store.changed(record);
  }
}
