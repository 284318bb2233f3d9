import path from "node:path";
import { checkAccessConditions, type ConditionalOptions } from "../../../core/access-conditions.js";
import type { ExpandOptions, JobForceOptions, JobOperations, ReadOptions } from "../../../core/backend.js";
import { BatchErrors } from "../../../core/batch-errors.js";
import type {
  CloudJob,
  JobStatistics,
  DisableJobOption,
  JobAddParameter,
  JobPatchParameter,
  JobPreparationAndReleaseTaskExecutionInformation,
  JobUpdateParameter,
  PoolInformation,
  TaskAddParameter,
  TaskCountsResult,
} from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import { validateJobPatch } from "../../../core/validation/validate-job-patch.js";
import { NodeRootFs } from "../files/node-root-fs.js";
import { validateJobAdd } from "../../../core/validation/validate-add.js";
import { optionalDurationMs } from "../../../core/validation/durations.js";
import { isoNow, newETag } from "../state/clock.js";
import { runningAttempts, type JobRecord, type JobScheduleRecord } from "../state/records.js";
import { poolInfoAsKept, type AutoPools } from "./auto-pools.js";
import { changedAutoPoolInfo } from "./auto-pool-change.js";
import { taskIndexOf } from "../state/job-task-index.js";
import { entityUrl } from "./entity-urls.js";
import type { JobLifecycle } from "./job-lifecycle.js";
import { removeJobNow } from "./job-force-delete.js";
import { jobStatistics, lifetimeJobStatistics, retireJob } from "./entity-statistics.js";
import type { LocalContext } from "./local-context.js";
import { jobManagerTaskParameter } from "./job-manager.js";
import { preparationAndReleaseTaskStatus } from "./job-task-status.js";
import { checkJobTasksSupported, storedJobTasks } from "./job-tasks-support.js";
import { checkTaskIdFree } from "./job-task-ids.js";
import { jobPoolId } from "../../../core/job-pool.js";

/** What job operations need of the job's own tasks: its manager added as a task, its release tasks run before it goes. */
export interface JobTaskServices {
  addJobManager(job: JobRecord, task: TaskAddParameter): void;
  beforeEnd(job: JobRecord, reason: "delete"): Promise<void> | undefined;
}

/** What `Job_Update` sets for the properties it is not given (REST `JobUpdateParameter`). */
function replacementFields(replacement: JobUpdateParameter): Partial<CloudJob> {
  return {
    priority: replacement.priority ?? 0,
    maxParallelTasks: replacement.maxParallelTasks ?? -1,
    allowTaskPreemption: replacement.allowTaskPreemption,
    onAllTasksComplete: replacement.onAllTasksComplete ?? "noaction",
    constraints: replacement.constraints,
    poolInfo: replacement.poolInfo,
    metadata: replacement.metadata,
  };
}

export class LocalJobOperations implements JobOperations {
  private readonly removalListeners: ((record: JobRecord) => void)[] = [];

  constructor(
    private readonly ctx: LocalContext,
    private readonly lifecycle: JobLifecycle,
    private readonly jobTasks: JobTaskServices,
    private readonly autoPools: AutoPools,
  ) {}

  async add(parameter: JobAddParameter): Promise<CloudJob> {
    validateJobAdd(parameter);
    checkJobTasksSupported(parameter);
    if (parameter.jobManagerTask) checkTaskIdFree(parameter, parameter.jobManagerTask.id);
    this.autoPools.checkSpecification("poolInfo", parameter.poolInfo);
    return this.create(parameter);
  }

  /**
   * Creates a job whose properties were checked: `add` after validation, and job schedules for
   * their jobs, whose ids (`{scheduleId}:job-{n}`) a client could not give, with the schedule
   * (which owns an auto pool of lifetime `jobschedule`).
   */
  create(parameter: JobAddParameter, schedule?: JobScheduleRecord): CloudJob {
    if (this.ctx.state.jobs.has(idKey(parameter.id))) throw BatchErrors.jobExists(parameter.id);
    const now = isoNow(this.ctx.clock);
    const job: CloudJob = {
      ...structuredClone(parameter),
      ...storedJobTasks(parameter),
      poolInfo: poolInfoAsKept(parameter.poolInfo),
      url: entityUrl(this.ctx.settings.accountUrl, "jobs", parameter.id),
      eTag: newETag(this.ctx.clock),
      lastModified: now,
      creationTime: now,
      state: "active",
      stateTransitionTime: now,
      priority: parameter.priority ?? 0,
      maxParallelTasks: parameter.maxParallelTasks ?? -1,
      onAllTasksComplete: parameter.onAllTasksComplete ?? "noaction",
      onTaskFailure: parameter.onTaskFailure ?? "noaction",
      usesTaskDependencies: parameter.usesTaskDependencies ?? false,
      executionInfo: { startTime: now, poolId: this.autoPools.poolIdFor(parameter, schedule) },
    };
    const record: JobRecord = { job, tasks: new Map(), sequence: this.ctx.state.takeJobSequence(), nextTaskSequence: 0 };
    this.ctx.state.addJob(record);
    if (parameter.jobManagerTask) this.jobTasks.addJobManager(record, jobManagerTaskParameter(parameter.jobManagerTask));
    this.lifecycle.enforceWallClock(record, optionalDurationMs("constraints.maxWallClockTime", parameter.constraints?.maxWallClockTime));
    this.autoPools.jobCreated(record, parameter.poolInfo.autoPoolSpecification, schedule);
    return structuredClone(record.job);
  }

  async get(jobId: string, options?: ReadOptions): Promise<CloudJob> {
    const record = this.ctx.state.jobRecord(jobId);
    checkAccessConditions(record.job, options?.conditions, "read");
    return this.reported(record, options);
  }

  async list(options?: ExpandOptions): Promise<CloudJob[]> {
    return [...this.ctx.state.jobs.values()].map((record) => this.reported(record, options));
  }

  async getAllLifetimeStatistics(): Promise<JobStatistics> {
    return lifetimeJobStatistics(this.ctx);
  }

  /** A copy of the job, with its statistics when asked. */
  private reported(record: JobRecord, options: ExpandOptions | undefined): CloudJob {
    const job = structuredClone(record.job);
    if (options?.withStats) job.stats = jobStatistics(job, record.tasks.values(), this.ctx.clock.now());
    return job;
  }

  /** With `force`, the job is gone at once; its tasks' directories go once they have stopped. */
  async delete(jobId: string, options?: JobForceOptions): Promise<void> {
    const record = this.ctx.state.jobRecord(jobId);
    checkAccessConditions(record.job, options?.conditions, "write");
    if (record.job.state === "deleting") throw BatchErrors.jobBeingDeleted(jobId);
    this.ctx.states.job.transition(record, "deleting");
    this.lifecycle.forget(record);
    for (const task of record.tasks.values()) task.abort?.abort("delete");
    const removal = options?.force ? removeJobNow(this.ctx, record).finally(() => this.removed(record)) : this.removeWhenStopped(record);
    this.ctx.background.track(`deleting job ${record.job.id}`, removal);
  }

  async terminate(jobId: string, terminateReason?: string, options?: JobForceOptions): Promise<void> {
    const record = this.ctx.state.jobRecord(jobId);
    checkAccessConditions(record.job, options?.conditions, "write");
    if (record.job.state === "deleting") throw BatchErrors.jobBeingDeleted(jobId);
    if (record.job.state === "completed" || record.job.state === "terminating") throw BatchErrors.jobCompleted(jobId);
    this.lifecycle.terminate(record, terminateReason ?? "UserTerminate", options?.force);
  }

  async disable(jobId: string, disableTasks: DisableJobOption, options?: ConditionalOptions): Promise<void> {
    const record = this.ctx.state.jobRecord(jobId);
    checkAccessConditions(record.job, options?.conditions, "write");
    this.checkNotEnded(record);
    if (record.job.state === "enabling") throw BatchErrors.jobNotActive(jobId);
    this.lifecycle.disable(record, disableTasks);
  }

  async enable(jobId: string, options?: ConditionalOptions): Promise<void> {
    const record = this.ctx.state.jobRecord(jobId);
    checkAccessConditions(record.job, options?.conditions, "write");
    this.checkNotEnded(record);
    if (record.job.state === "disabling") throw BatchErrors.jobNotDisabled(jobId);
    this.lifecycle.enable(record);
    this.ctx.requestScheduling();
  }

  /** Disable and enable refuse a job that is ending or ended with the service's codes for those states. */
  private checkNotEnded(record: JobRecord): void {
    const { id, state } = record.job;
    if (state === "deleting") throw BatchErrors.jobBeingDeleted(id);
    if (state === "terminating") throw BatchErrors.jobBeingTerminated(id);
    if (state === "completed") throw BatchErrors.jobCompleted(id);
  }

  async patch(jobId: string, patch: JobPatchParameter, options?: ConditionalOptions): Promise<CloudJob> {
    const fields: Partial<CloudJob> = {};
    for (const [key, value] of Object.entries(patch) as [keyof JobPatchParameter, unknown][]) {
      if (value !== undefined) Object.assign(fields, { [key]: structuredClone(value) });
    }
    return this.change(jobId, patch, fields, options);
  }

  async update(jobId: string, replacement: JobUpdateParameter, options?: ConditionalOptions): Promise<CloudJob> {
    if ((replacement as Partial<JobUpdateParameter>).poolInfo === undefined) throw BatchErrors.missingProperty("poolInfo");
    return this.change(jobId, replacement, structuredClone(replacementFields(replacement)), options);
  }

  /**
   * `Job_Patch` and `Job_Update` once the new values are known. The rules (REST `JobPatchParameter`,
   * `JobUpdateParameter`): `onAllTasksComplete` may not go back from `terminatejob` to `noaction`
   * (400 InvalidPropertyValue); the pool may change only while the job is disabled; a changed
   * `maxWallClockTime` counts from the job's creation, as the first one did.
   */
  private async change(jobId: string, given: JobPatchParameter, fields: Partial<CloudJob>, options?: ConditionalOptions): Promise<CloudJob> {
    validateJobPatch(given);
    const record = this.ctx.state.jobRecord(jobId);
    checkAccessConditions(record.job, options?.conditions, "write");
    const job = record.job;
    if (job.state === "deleting") throw BatchErrors.jobBeingDeleted(jobId);
    if (job.state === "completed" || job.state === "terminating") throw BatchErrors.jobCompleted(jobId);
    if (job.onAllTasksComplete === "terminatejob" && fields.onAllTasksComplete === "noaction") {
      throw BatchErrors.invalidPropertyValue(
        "onAllTasksComplete",
        "noaction",
        "The completion behavior of a job cannot be changed from terminatejob to noaction.",
      );
    }
    if (fields.poolInfo) this.changePool(job, fields);
    const wallClockChanges = "constraints" in fields && fields.constraints?.maxWallClockTime !== job.constraints?.maxWallClockTime;
    this.ctx.states.job.update(record, fields);
    if (wallClockChanges) this.rearmWallClock(record);
    // A job given terminatejob is evaluated now: with all its tasks completed (or none), it terminates.
    this.lifecycle.onTaskCompleted(record);
    this.ctx.requestScheduling();
    return structuredClone(record.job);
  }

  /**
   * The pool part of a change: another pool only while the job is disabled; of an auto pool, only
   * `keepAlive`, and only while the job is disabled too ("The Patch Job call will fail if you
   * include the poolInfo element and the Job is not disabled", REST `JobPatchParameter.poolInfo`).
   * The same pool again changes nothing, in any state.
   */
  private changePool(job: CloudJob, fields: Partial<CloudJob>): void {
    const given = fields.poolInfo as PoolInformation;
    if (given.autoPoolSpecification || job.poolInfo.autoPoolSpecification) {
      fields.poolInfo = changedAutoPoolInfo(job, given);
      if (fields.poolInfo !== job.poolInfo && job.state !== "disabled") throw BatchErrors.jobPoolFixed(job.id);
      return;
    }
    const newPool = given.poolId;
    const poolChanges = newPool !== undefined && idKey(newPool) !== idKey(job.poolInfo.poolId ?? "");
    if (poolChanges && job.state !== "disabled") throw BatchErrors.jobPoolFixed(job.id);
    if (!poolChanges) fields.poolInfo = job.poolInfo;
    else fields.executionInfo = { ...job.executionInfo, poolId: newPool };
  }

  /** The job's wall clock after its `maxWallClockTime` changed: the limit still counts from its creation. */
  private rearmWallClock(record: JobRecord): void {
    this.lifecycle.forget(record);
    const limitMs = optionalDurationMs("constraints.maxWallClockTime", record.job.constraints?.maxWallClockTime);
    if (limitMs === undefined) return;
    const elapsedMs = this.ctx.clock.now() - Date.parse(record.job.creationTime);
    if (elapsedMs >= limitMs) this.lifecycle.terminate(record, "MaxWallClockTimeExpiry");
    else this.lifecycle.enforceWallClock(record, limitMs - elapsedMs);
  }

  async listPreparationAndReleaseTaskStatus(jobId: string): Promise<JobPreparationAndReleaseTaskExecutionInformation[]> {
    return preparationAndReleaseTaskStatus(this.ctx.state.jobRecord(jobId));
  }

  /** Kept on every add, removal and state or result change (job-task-index.ts), so a query costs the same whatever the job's size. */
  async getTaskCounts(jobId: string): Promise<TaskCountsResult> {
    return taskIndexOf(this.ctx.state.jobRecord(jobId)).counts();
  }

  /** Calls `listener` once a deleted job is gone (a job schedule being deleted waits for its jobs this way). */
  onRemoved(listener: (record: JobRecord) => void): void {
    this.removalListeners.push(listener);
  }

  /** Waits for the job's tasks to stop, deletes their directories on the nodes, then forgets the job. */
  async removeWhenStopped(record: JobRecord): Promise<void> {
    await Promise.all(runningAttempts(record.tasks.values()));
    await this.jobTasks.beforeEnd(record, "delete");
    const pool = this.ctx.state.pools.get(idKey(jobPoolId(record.job) ?? ""));
    try {
      for (const node of pool?.nodes.values() ?? []) {
        // Through NodeRootFs: tasks shape this tree and may have made `workitems` a link out of it.
        await new NodeRootFs(node.hostRoot).remove(path.posix.join("workitems", record.job.id));
      }
    } finally {
      retireJob(this.ctx, record);
      this.ctx.state.removeJob(record);
      this.removed(record);
    }
  }

  private removed(record: JobRecord): void {
    for (const listener of this.removalListeners) listener(record);
  }
}
