import { checkAccessConditions, type ConditionalOptions } from "../../../core/access-conditions.js";
import type { ExpandOptions, JobScheduleOperations, ReadOptions } from "../../../core/backend.js";
import { BatchErrors } from "../../../core/batch-errors.js";
import type { CloudJob, CloudJobSchedule, JobScheduleAddParameter, JobSchedulePatchParameter, JobScheduleUpdateParameter } from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import { validateJobScheduleAdd, validateJobSpecification, validateSchedule } from "../../../core/validation/validate-job-schedule.js";
import { isoNow, newETag } from "../state/clock.js";
import type { JobScheduleRecord } from "../state/records.js";
import { addTotals, NO_TOTALS } from "../state/task-usage.js";
import { jobStatisticsOf, taskTotals } from "./entity-statistics.js";
import { entityUrl } from "./entity-urls.js";
import type { AutoPools } from "./auto-pools.js";
import type { JobScheduleRunner } from "./job-schedule-runner.js";
import type { LocalContext } from "./local-context.js";

/** What a change to a schedule may do in each state: refused once it is being deleted, being terminated or completed. */
function checkChangeable(record: JobScheduleRecord): void {
  const { id, state } = record.jobSchedule;
  if (state === "deleting") throw BatchErrors.jobScheduleBeingDeleted(id);
  if (state === "terminating") throw BatchErrors.jobScheduleBeingTerminated(id);
  if (state === "completed") throw BatchErrors.jobScheduleCompleted(id);
}

export class LocalJobScheduleOperations implements JobScheduleOperations {
  constructor(
    private readonly ctx: LocalContext,
    private readonly runner: JobScheduleRunner,
    private readonly autoPools: AutoPools,
  ) {}

  async add(parameter: JobScheduleAddParameter): Promise<CloudJobSchedule> {
    validateJobScheduleAdd(parameter);
    this.autoPools.checkSpecification("jobSpecification.poolInfo", parameter.jobSpecification.poolInfo);
    if (this.ctx.state.jobSchedules.has(idKey(parameter.id))) throw BatchErrors.jobScheduleExists(parameter.id);
    const now = isoNow(this.ctx.clock);
    const jobSchedule: CloudJobSchedule = {
      ...structuredClone(parameter),
      url: entityUrl(this.ctx.settings.accountUrl, "jobschedules", parameter.id),
      eTag: newETag(this.ctx.clock),
      lastModified: now,
      creationTime: now,
      state: "active",
      stateTransitionTime: now,
      executionInfo: {},
    };
    const record: JobScheduleRecord = { jobSchedule, jobCount: 0, scheduleSetTime: now };
    this.ctx.state.addJobSchedule(record);
    this.runner.evaluate(record);
    return structuredClone(record.jobSchedule);
  }

  async get(jobScheduleId: string, options?: ReadOptions): Promise<CloudJobSchedule> {
    const record = this.ctx.state.jobScheduleRecord(jobScheduleId);
    checkAccessConditions(record.jobSchedule, options?.conditions, "read");
    return this.reported(record, options);
  }

  async exists(jobScheduleId: string): Promise<boolean> {
    return this.ctx.state.jobSchedules.has(idKey(jobScheduleId));
  }

  async list(options?: ExpandOptions): Promise<CloudJobSchedule[]> {
    return [...this.ctx.state.jobSchedules.values()].map((record) => this.reported(record, options));
  }

  /**
   * A copy of the schedule; with `stats`, the sums over the tasks of the jobs it has now (a job
   * of the schedule that was deleted is no longer counted).
   */
  private reported(record: JobScheduleRecord, options: ExpandOptions | undefined): CloudJobSchedule {
    const jobSchedule = structuredClone(record.jobSchedule);
    if (!options?.withStats) return jobSchedule;
    const nowMs = this.ctx.clock.now();
    const totals = this.runner.jobsOf(record).reduce((sum, job) => addTotals(sum, taskTotals(job.tasks.values(), nowMs)), NO_TOTALS);
    jobSchedule.stats = jobStatisticsOf(totals, { url: jobSchedule.url ?? "", startTime: jobSchedule.creationTime, nowMs });
    return jobSchedule;
  }

  /** "This replaces only the Job Schedule properties specified in the request" (JobSchedule_Patch). */
  async patch(jobScheduleId: string, patch: JobSchedulePatchParameter, options?: ConditionalOptions): Promise<CloudJobSchedule> {
    const fields: Partial<CloudJobSchedule> = {};
    if (patch.schedule !== undefined) fields.schedule = structuredClone(patch.schedule);
    if (patch.jobSpecification !== undefined) fields.jobSpecification = structuredClone(patch.jobSpecification);
    if (patch.metadata !== undefined) fields.metadata = structuredClone(patch.metadata);
    return this.change(jobScheduleId, fields, options);
  }

  /**
   * "This fully replaces all the updatable properties of the Job Schedule" (JobSchedule_Update):
   * an omitted schedule is "the default schedule: that is, a single Job scheduled to run
   * immediately", omitted metadata "an empty list".
   */
  async update(jobScheduleId: string, replacement: JobScheduleUpdateParameter, options?: ConditionalOptions): Promise<CloudJobSchedule> {
    if ((replacement as Partial<JobScheduleUpdateParameter>).jobSpecification === undefined) throw BatchErrors.missingProperty("jobSpecification");
    const fields: Partial<CloudJobSchedule> = {
      schedule: structuredClone(replacement.schedule ?? {}),
      jobSpecification: structuredClone(replacement.jobSpecification),
      metadata: structuredClone(replacement.metadata),
    };
    return this.change(jobScheduleId, fields, options);
  }

  /**
   * Changes "only impact Jobs created by the schedule after the update has taken place; currently
   * running Jobs are unaffected". A new schedule counts its due times from now (see schedule-timeline.ts).
   */
  private async change(jobScheduleId: string, fields: Partial<CloudJobSchedule>, options?: ConditionalOptions): Promise<CloudJobSchedule> {
    validateSchedule(fields.schedule);
    if (fields.jobSpecification) {
      validateJobSpecification(fields.jobSpecification);
      this.autoPools.checkSpecification("jobSpecification.poolInfo", fields.jobSpecification.poolInfo);
    }
    const record = this.ctx.state.jobScheduleRecord(jobScheduleId);
    checkAccessConditions(record.jobSchedule, options?.conditions, "write");
    checkChangeable(record);
    const progress = fields.schedule ? { scheduleSetTime: isoNow(this.ctx.clock) } : {};
    this.ctx.states.jobSchedule.update(record, fields, progress);
    this.runner.evaluate(record);
    return structuredClone(record.jobSchedule);
  }

  async disable(jobScheduleId: string, options?: ConditionalOptions): Promise<void> {
    const record = this.ctx.state.jobScheduleRecord(jobScheduleId);
    checkAccessConditions(record.jobSchedule, options?.conditions, "write");
    checkChangeable(record);
    if (record.jobSchedule.state === "disabled") return;
    this.runner.stop(record);
    this.ctx.states.jobSchedule.transition(record, "disabled");
  }

  async enable(jobScheduleId: string, options?: ConditionalOptions): Promise<void> {
    const record = this.ctx.state.jobScheduleRecord(jobScheduleId);
    checkAccessConditions(record.jobSchedule, options?.conditions, "write");
    checkChangeable(record);
    if (record.jobSchedule.state === "active") return;
    this.ctx.states.jobSchedule.transition(record, "active");
    this.runner.evaluate(record);
  }

  async terminate(jobScheduleId: string, options?: ConditionalOptions): Promise<void> {
    const record = this.ctx.state.jobScheduleRecord(jobScheduleId);
    checkAccessConditions(record.jobSchedule, options?.conditions, "write");
    checkChangeable(record);
    const { nextRunTime: _, ...executionInfo } = record.jobSchedule.executionInfo;
    this.ctx.states.jobSchedule.transition(record, "terminating", { executionInfo });
    await this.runner.terminateActiveJob(record);
  }

  /** "When you delete a Job Schedule, this also deletes all Jobs and Tasks under that schedule." */
  async delete(jobScheduleId: string, options?: ConditionalOptions): Promise<void> {
    const record = this.ctx.state.jobScheduleRecord(jobScheduleId);
    checkAccessConditions(record.jobSchedule, options?.conditions, "write");
    if (record.jobSchedule.state === "deleting") throw BatchErrors.jobScheduleBeingDeleted(jobScheduleId);
    this.ctx.states.jobSchedule.transition(record, "deleting");
    await this.runner.deleteJobs(record);
  }

  async listJobs(jobScheduleId: string): Promise<CloudJob[]> {
    const record = this.ctx.state.jobScheduleRecord(jobScheduleId);
    return this.runner.jobsOf(record).map((job) => structuredClone(job.job));
  }

  /** After a restart: timers are armed again, terminations and deletions in progress finish. */
  async recover(): Promise<void> {
    for (const record of [...this.ctx.state.jobSchedules.values()]) {
      const state = record.jobSchedule.state;
      if (state === "deleting") await this.runner.deleteJobs(record);
      else if (state === "terminating") await this.runner.terminateActiveJob(record);
      else this.runner.evaluate(record);
    }
  }
}
