import type { CloudJobSchedule, JobScheduleExecutionInformation, JobScheduleState } from "../../../core/models/index.js";
import { isoNow } from "./clock.js";
import type { JobScheduleRecord } from "./records.js";
import { assertTransition, type TransitionTable } from "./transitions.js";
import { applyVersioned, shiftState, type StateContext } from "./versioning.js";

/**
 * A job schedule's life (REST `JobScheduleState`): `active` creates jobs as its schedule says;
 * `disabled` creates none until enabled; `terminating` while its active job is being ended, then
 * `completed` (also reached directly when the schedule has no more work: no recurrence left,
 * or `doNotRunAfter` past, with no active job); `deleting` from any state but `deleting`, while
 * its jobs are deleted, after which it is gone.
 */
export const JOB_SCHEDULE_TRANSITIONS: TransitionTable<JobScheduleState> = {
  active: ["disabled", "terminating", "completed", "deleting"],
  disabled: ["active", "terminating", "deleting"],
  terminating: ["completed", "deleting"],
  completed: ["deleting"],
  deleting: [],
};

/** What a record keeps beside the schedule: its job counter and where it is in its timeline. */
export type JobScheduleProgress = Partial<Omit<JobScheduleRecord, "jobSchedule">>;

/**
 * The only writer of job schedules. A state change or a change by the user gets a new ETag and
 * last-modified time; the schedule's run (`executionInfo`, the job counter) does not: the
 * service's `lastModified` "does not factor in job-level changes such as new Jobs being created
 * or Jobs changing state" (REST `CloudJobSchedule`).
 */
export class JobScheduleStates {
  constructor(private readonly ctx: StateContext) {}

  transition(record: JobScheduleRecord, to: JobScheduleState, fields: Partial<CloudJobSchedule> = {}): void {
    const jobSchedule = record.jobSchedule;
    assertTransition(JOB_SCHEDULE_TRANSITIONS, "job schedule", jobSchedule.id, jobSchedule.state, to);
    shiftState(jobSchedule, to, isoNow(this.ctx.clock));
    this.update(record, fields);
  }

  update(record: JobScheduleRecord, fields: Partial<CloudJobSchedule>, progress: JobScheduleProgress = {}): void {
    Object.assign(record, progress);
    applyVersioned(record.jobSchedule, fields, this.ctx.clock);
    this.ctx.store.changed(record);
  }

  /** The schedule's run moved on: its execution info and progress change, its version does not. */
  progress(record: JobScheduleRecord, executionInfo: JobScheduleExecutionInformation, progress: JobScheduleProgress = {}): void {
    Object.assign(record, progress);
    record.jobSchedule.executionInfo = executionInfo;
    this.ctx.store.changed(record);
  }
}
