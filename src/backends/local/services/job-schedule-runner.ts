import { createLogger } from "../../../core/logger.js";
import { idKey } from "../../../core/validation/ids.js";
import type { Timer } from "../state/clock.js";
import { isoNow } from "../state/clock.js";
import type { JobRecord, JobScheduleRecord } from "../state/records.js";
import type { LocalContext } from "./local-context.js";
import type { LocalJobOperations } from "./local-job-operations.js";
import { nextRun, timelineOf } from "./schedule-timeline.js";

const log = createLogger("malachite:jobschedule");

/**
 * The id of a schedule's n-th job, as the service names them (REST example JobScheduleGet.json:
 * `recentJob.id` is `jobScheduleId:job-1`). A client cannot create such an id (`:` is not allowed
 * in ids), so the prefix tells a schedule's jobs apart from every other job.
 */
export function scheduledJobId(jobScheduleId: string, n: number): string {
  return `${jobScheduleId}:job-${n}`;
}

const SCHEDULED_JOB = /^(.+):job-\d+$/;

/**
 * Runs job schedules on the backend's clock: creates each job when it falls due (through the same
 * path as `Job_Add`), keeps at most one active job per schedule ("A Job Schedule can have at most
 * one active Job under it at any given time", REST `Schedule.recurrenceInterval`), completes a
 * schedule with no more work, and finishes terminations and deletions when the jobs are done.
 * Event-driven: one timer per schedule for its next due time, and the jobs' state changes.
 */
export class JobScheduleRunner {
  private readonly timers = new Map<JobScheduleRecord, Timer>();
  private readonly endListeners: ((record: JobScheduleRecord) => void)[] = [];

  constructor(
    private readonly ctx: LocalContext,
    private readonly jobs: LocalJobOperations,
  ) {
    ctx.states.job.onTransition((job) => this.jobChanged(job));
    jobs.onRemoved((job) => this.jobRemoved(job));
  }

  /** Calls `listener` when a schedule completes, and when a deleted one is gone (its auto pool's lifetime ends). */
  onEnded(listener: (record: JobScheduleRecord) => void): void {
    this.endListeners.push(listener);
  }

  /** The schedule's jobs that still exist, oldest first. */
  jobsOf(record: JobScheduleRecord): JobRecord[] {
    const prefix = `${idKey(record.jobSchedule.id)}:job-`;
    return [...this.ctx.state.jobs.entries()].filter(([key]) => key.startsWith(prefix)).map(([, job]) => job);
  }

  /** The schedule's most recent job while it is neither completed nor being deleted. */
  activeJob(record: JobScheduleRecord): JobRecord | undefined {
    const recent = record.jobSchedule.executionInfo.recentJob;
    const job = recent && this.ctx.state.jobs.get(idKey(recent.id));
    return job && job.job.state !== "completed" && job.job.state !== "deleting" ? job : undefined;
  }

  /** Decides what the schedule does now: create a job, wait for the next due time or for its job, or complete. */
  evaluate(record: JobScheduleRecord): void {
    this.stop(record);
    const schedule = record.jobSchedule;
    if (this.ctx.state.jobSchedules.get(idKey(schedule.id)) !== record) return;
    if (schedule.state === "terminating" && !this.activeJob(record)) this.complete(record);
    if (schedule.state !== "active") return;
    const now = this.ctx.clock.now();
    const lastDueMs = record.lastDueTime === undefined ? undefined : Date.parse(record.lastDueTime);
    const next = nextRun(timelineOf(schedule.schedule, record.scheduleSetTime), now, lastDueMs);
    const active = this.activeJob(record);
    if (next.kind === "finished") {
      this.setNextRunTime(record, undefined);
      if (active) return;
      // "The schedule will move to the completed state as soon as this deadline is past and there is no active Job."
      const notAfterMs = schedule.schedule.doNotRunAfter === undefined ? undefined : Date.parse(schedule.schedule.doNotRunAfter);
      if (schedule.schedule.recurrenceInterval !== undefined && notAfterMs !== undefined && notAfterMs > now) this.arm(record, notAfterMs - now);
      else this.complete(record);
      return;
    }
    this.setNextRunTime(record, new Date(next.dueMs).toISOString());
    if (next.kind === "wait") this.arm(record, next.dueMs - now);
    // With a job still active, the next one waits for it to end (the job's state change evaluates again).
    if (next.kind === "wait" || active) return;
    this.createJob(record, next.dueMs);
    this.evaluate(record);
  }

  /** Ends the schedule's active job with `TerminateJobSchedule`; the schedule completes once it has. */
  async terminateActiveJob(record: JobScheduleRecord): Promise<void> {
    this.stop(record);
    const active = this.activeJob(record);
    if (active && active.job.state !== "terminating") await this.jobs.terminate(active.job.id, "TerminateJobSchedule");
    this.evaluate(record);
  }

  /** Deletes the schedule's jobs (as `Job_Delete` does); the schedule is gone once they are. */
  async deleteJobs(record: JobScheduleRecord): Promise<void> {
    this.stop(record);
    for (const job of this.jobsOf(record)) {
      if (job.job.state !== "deleting") await this.jobs.delete(job.job.id);
    }
    this.removeIfEmpty(record);
  }

  /** Stops the schedule's timer. */
  stop(record: JobScheduleRecord): void {
    this.timers.get(record)?.cancel();
    this.timers.delete(record);
  }

  private arm(record: JobScheduleRecord, ms: number): void {
    this.timers.set(
      record,
      this.ctx.clock.setTimer(ms, () => {
        this.timers.delete(record);
        this.evaluate(record);
      }),
    );
  }

  private createJob(record: JobScheduleRecord, dueMs: number): void {
    const schedule = record.jobSchedule;
    const n = record.jobCount + 1;
    const id = scheduledJobId(schedule.id, n);
    try {
      const job = this.jobs.create({ ...structuredClone(schedule.jobSpecification), id }, record);
      const executionInfo = { ...schedule.executionInfo, recentJob: { id, url: job.url } };
      this.ctx.states.jobSchedule.progress(record, executionInfo, { jobCount: n, lastDueTime: new Date(dueMs).toISOString() });
    } catch (error) {
      // Only a job left with the same id could refuse it; the recurrence is then lost, as one whose window closed.
      log.warn(`job schedule ${schedule.id} could not create job ${id}: ${(error as Error).message}`);
      this.ctx.states.jobSchedule.progress(record, schedule.executionInfo, { jobCount: n, lastDueTime: new Date(dueMs).toISOString() });
    }
  }

  private setNextRunTime(record: JobScheduleRecord, nextRunTime: string | undefined): void {
    const info = record.jobSchedule.executionInfo;
    if (info.nextRunTime === nextRunTime) return;
    const { nextRunTime: _, ...rest } = info;
    this.ctx.states.jobSchedule.progress(record, nextRunTime === undefined ? rest : { ...rest, nextRunTime });
  }

  private complete(record: JobScheduleRecord): void {
    const { nextRunTime: _, ...info } = record.jobSchedule.executionInfo;
    this.ctx.states.jobSchedule.transition(record, "completed", { executionInfo: { ...info, endTime: isoNow(this.ctx.clock) } });
    for (const listener of this.endListeners) listener(record);
  }

  private scheduleOf(job: JobRecord): JobScheduleRecord | undefined {
    const match = SCHEDULED_JOB.exec(job.job.id);
    return match ? this.ctx.state.jobSchedules.get(idKey(match[1] as string)) : undefined;
  }

  /** A schedule's job completed or is being deleted: the schedule may create the next one, or complete. */
  private jobChanged(job: JobRecord): void {
    if (job.job.state !== "completed" && job.job.state !== "deleting") return;
    const record = this.scheduleOf(job);
    if (!record || idKey(record.jobSchedule.executionInfo.recentJob?.id ?? "") !== idKey(job.job.id)) return;
    // After the job's own change has been recorded: evaluating may create the next job.
    queueMicrotask(() => this.evaluate(record));
  }

  private jobRemoved(job: JobRecord): void {
    const record = this.scheduleOf(job);
    if (record?.jobSchedule.state === "deleting") this.removeIfEmpty(record);
  }

  private removeIfEmpty(record: JobScheduleRecord): void {
    if (this.jobsOf(record).length > 0 || this.ctx.state.jobSchedules.get(idKey(record.jobSchedule.id)) !== record) return;
    this.ctx.state.removeJobSchedule(record);
    for (const listener of this.endListeners) listener(record);
  }
}
