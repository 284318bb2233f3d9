import { randomUUID } from "node:crypto";
import { isBatchError } from "../../../core/batch-error.js";
import { jobPoolId } from "../../../core/job-pool.js";
import { createLogger } from "../../../core/logger.js";
import type { AutoPoolSpecification, JobAddParameter, JobSchedulingError, PoolInformation } from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import { checkNested } from "../../../core/validation/nested-property.js";
import { AUTO_POOL_SPECIFICATION_ID } from "../../../core/validation/validate-auto-pool.js";
import type { JobRecord, JobScheduleRecord } from "../state/records.js";
import type { JobLifecycle } from "./job-lifecycle.js";
import type { LocalContext } from "./local-context.js";
import { withoutRegistryPasswords, type LocalPoolOperations } from "./local-pool-operations.js";
import { checkPoolAdd } from "./pool-add-checks.js";

const log = createLogger("malachite:autopool");

/**
 * The id the service gives an auto pool: "The Batch service assigns each auto Pool a unique
 * identifier on creation ... you can specify this element to add a prefix to the ID" (REST
 * `AutoPoolSpecification.autoPoolIdPrefix`). The service does not document the rest of the id:
 * Malachite puts an upper-case GUID after the prefix and an underscore (at most 57 characters,
 * within the 64 of a pool id).
 */
export function newAutoPoolId(prefix: string | undefined): string {
  const guid = randomUUID().toUpperCase();
  return prefix ? `${prefix}_${guid}` : guid;
}

/** Pool add refusals of the formula itself: an auto pool still gets its job, and fails when it is created. */
const FORMULA_ERRORS = new Set(["AutoScalingFormulaSyntaxError", "AutoScaleFormulaTooLong"]);

/**
 * Why an auto pool could not be created, as the job reports it (the job scheduling errors of
 * "Batch status and error codes" and the SDKs' JobSchedulingErrorCodes).
 */
function schedulingErrorOf(error: unknown): JobSchedulingError {
  const details = isBatchError(error) ? error.values.map(({ key, value }) => ({ name: key, value })) : [];
  const withDetails = (code: string, message: string): JobSchedulingError => ({
    category: "usererror",
    code,
    message,
    ...(details.length > 0 ? { details } : {}),
  });
  if (isBatchError(error, "InvalidApplicationPackageReferences")) {
    return withDetails("InvalidApplicationPackageReferencesInAutoPool", "One or more application packages specified for the pool are invalid.");
  }
  if (isBatchError(error) && FORMULA_ERRORS.has(error.code)) {
    return withDetails("InvalidAutoScaleFormulaInAutoPool", "The specified auto-scaling settings are not valid.");
  }
  if (isBatchError(error) && error.statusCode < 500) return withDetails("InvalidAutoPoolSettings", "The specified autopool settings are not valid.");
  return { category: "servererror", code: "Unknown", message: "An unknown scheduling error has occurred." };
}

/**
 * The auto pool as a job keeps and reports it: no registry password, mount key or account
 * password, as a pool keeps none (local-pool-operations.ts, pool-user-accounts.ts).
 */
export function poolInfoAsKept(poolInfo: PoolInformation): PoolInformation {
  const kept = structuredClone(poolInfo);
  const pool = kept.autoPoolSpecification?.pool;
  if (!pool) return kept;
  withoutRegistryPasswords(pool);
  if (pool.userAccounts) pool.userAccounts = pool.userAccounts.map(({ password: _, ...account }) => account);
  return kept;
}

/**
 * Auto pools (REST `AutoPoolSpecification`): the pool a job (`poolLifetimeOption` `job`) or a job
 * schedule (`jobschedule`: one pool for all its jobs, created with its first job) gets when it is
 * created, an ordinary pool in every other respect, and deleted when its lifetime ends unless
 * `keepAlive`: when the job completes or is deleted, when the schedule completes or is deleted.
 * A pool that cannot be created completes its job with a scheduling error. The link is the job's
 * `executionInfo.poolId` and the schedule's record, both journaled, so it outlives a restart.
 */
export class AutoPools {
  /** Auto pools being created, by pool key: a schedule's next job or a restart does not create one twice. */
  private readonly creating = new Set<string>();

  constructor(
    private readonly ctx: LocalContext,
    private readonly pools: LocalPoolOperations,
    private readonly lifecycle: JobLifecycle,
  ) {}

  /** Ends auto pools' lifetimes as jobs complete or go, and as schedules complete or go. */
  follow(jobs: { onRemoved(listener: (job: JobRecord) => void): void }, schedules: { onEnded(listener: (schedule: JobScheduleRecord) => void): void }): void {
    this.ctx.states.job.onTransition((job) => {
      if (job.job.state === "completed") this.jobEnded(job);
    });
    jobs.onRemoved((job) => this.jobEnded(job));
    schedules.onEnded((schedule) => this.scheduleEnded(schedule));
  }

  /**
   * Job_Add's and JobSchedule_Add's own checks of an auto pool's `pool`: those of Pool_Add, named
   * by their full path. A formula that does not compile is the pool's creation's error.
   */
  checkSpecification(prefix: string, poolInfo: PoolInformation | undefined): void {
    const pool = poolInfo?.autoPoolSpecification?.pool;
    if (!pool) return;
    try {
      checkNested(`${prefix}.autoPoolSpecification.pool`, () => checkPoolAdd({ ...pool, id: AUTO_POOL_SPECIFICATION_ID }, this.ctx.storage.accountName));
    } catch (error) {
      if (!isBatchError(error) || !FORMULA_ERRORS.has(error.code)) throw error;
    }
  }

  /** The pool a new job runs on: `poolInfo.poolId`, a new auto pool's id, or its schedule's auto pool's. */
  poolIdFor(parameter: JobAddParameter, schedule?: JobScheduleRecord): string | undefined {
    const auto = parameter.poolInfo.autoPoolSpecification;
    if (!auto) return parameter.poolInfo.poolId;
    if (auto.poolLifetimeOption !== "jobschedule" || !schedule) return newAutoPoolId(auto.autoPoolIdPrefix);
    if (!schedule.autoPoolId) {
      this.ctx.states.jobSchedule.progress(schedule, schedule.jobSchedule.executionInfo, { autoPoolId: newAutoPoolId(auto.autoPoolIdPrefix) });
    }
    return schedule.autoPoolId;
  }

  /** A job was created from `specification` (secrets and all): its auto pool is created unless it exists (a schedule's). */
  jobCreated(job: JobRecord, specification: AutoPoolSpecification | undefined, schedule?: JobScheduleRecord): void {
    const poolId = jobPoolId(job.job);
    if (!specification?.pool || !poolId) return;
    const key = idKey(poolId);
    if (this.ctx.state.pools.has(key) || this.creating.has(key)) return;
    this.creating.add(key);
    const work = this.pools
      .add({ ...structuredClone(specification.pool), id: poolId })
      .then(() => {
        // The job (or schedule) may have ended while its pool was being made.
        if (this.lifetimeEnded(job, specification, schedule)) this.deleteUnlessKept(poolId, specification);
      })
      .catch((error: unknown) => this.creationFailed(job, schedule, poolId, error))
      .finally(() => this.creating.delete(key));
    this.ctx.background.track(`creating auto pool ${poolId}`, work);
  }

  /** A job completed or is gone: the auto pool of its own (`job` lifetime) goes with it, unless kept alive. */
  jobEnded(job: JobRecord): void {
    const auto = job.job.poolInfo.autoPoolSpecification;
    const poolId = jobPoolId(job.job);
    if (!auto || auto.poolLifetimeOption !== "job" || !poolId) return;
    this.deleteUnlessKept(poolId, auto);
  }

  /** A job schedule completed or is gone: its auto pool (`jobschedule` lifetime) goes with it, unless kept alive. */
  scheduleEnded(schedule: JobScheduleRecord): void {
    if (!schedule.autoPoolId) return;
    this.deleteUnlessKept(schedule.autoPoolId, schedule.jobSchedule.jobSpecification.poolInfo.autoPoolSpecification);
  }

  /**
   * After a restart: auto pools whose lifetime ended are deleted (unless kept alive), and those
   * of jobs still waiting for them are created (the previous process may have stopped first).
   */
  recover(): void {
    for (const job of this.ctx.state.jobs.values()) {
      const auto = job.job.poolInfo.autoPoolSpecification;
      const poolId = jobPoolId(job.job);
      if (!auto || !poolId) continue;
      if (job.job.state === "completed") this.jobEnded(job);
      else if (job.job.state !== "deleting" && !job.job.executionInfo.schedulingError) {
        const schedule = auto.poolLifetimeOption === "jobschedule" ? this.scheduleOwning(poolId) : undefined;
        if (!schedule || schedule.jobSchedule.state !== "completed") this.jobCreated(job, auto, schedule);
      }
    }
    for (const schedule of this.ctx.state.jobSchedules.values()) {
      if (schedule.jobSchedule.state === "completed") this.scheduleEnded(schedule);
    }
  }

  private scheduleOwning(poolId: string): JobScheduleRecord | undefined {
    return [...this.ctx.state.jobSchedules.values()].find((schedule) => schedule.autoPoolId && idKey(schedule.autoPoolId) === idKey(poolId));
  }

  private lifetimeEnded(job: JobRecord, specification: AutoPoolSpecification, schedule?: JobScheduleRecord): boolean {
    if (specification.poolLifetimeOption === "jobschedule" && schedule) {
      return schedule.jobSchedule.state === "completed" || this.ctx.state.jobSchedules.get(idKey(schedule.jobSchedule.id)) !== schedule;
    }
    return job.job.state === "completed" || this.ctx.state.jobs.get(idKey(job.job.id)) !== job;
  }

  private creationFailed(job: JobRecord, schedule: JobScheduleRecord | undefined, poolId: string, error: unknown): void {
    log.warn(`auto pool ${poolId} of job ${job.job.id} could not be created: ${(error as Error).message}`);
    // A schedule's next job tries again with a new pool.
    if (schedule?.autoPoolId === poolId) this.ctx.states.jobSchedule.progress(schedule, schedule.jobSchedule.executionInfo, { autoPoolId: undefined });
    if (this.ctx.state.jobs.get(idKey(job.job.id)) === job) this.lifecycle.failScheduling(job, schedulingErrorOf(error));
  }

  private deleteUnlessKept(poolId: string, specification: AutoPoolSpecification | undefined): void {
    if (specification?.keepAlive === true) return;
    const pool = this.ctx.state.pools.get(idKey(poolId));
    if (!pool || pool.pool.state === "deleting") return;
    this.pools.delete(poolId).catch((error: unknown) => log.warn(`auto pool ${poolId} could not be deleted: ${(error as Error).message}`));
  }
}
