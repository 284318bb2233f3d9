import type { JobStatistics } from "./statistics.js";
import type { EnvironmentSetting, ErrorCategory, MetadataItem, NameValuePair } from "./common.js";
import type { JobManagerTask, JobPreparationTask, JobReleaseTask } from "./job-tasks.js";
import type { PoolAddParameter } from "./pool.js";

/**
 * How long an auto pool lives (REST `PoolLifetimeOption`): `job`, the job it was created for;
 * `jobschedule`, the job schedule whose first job created it (schedules only).
 */
export type PoolLifetimeOption = "job" | "jobschedule";

/** An auto pool's pool: a pool add without the id, which the service assigns (REST `PoolSpecification`). */
export type PoolSpecification = Omit<PoolAddParameter, "id">;

/** A pool the service creates for a job or a job schedule and deletes when its lifetime ends (REST `AutoPoolSpecification`). */
export interface AutoPoolSpecification {
  /** Up to 20 characters put before the id the service assigns. */
  autoPoolIdPrefix?: string;
  poolLifetimeOption: PoolLifetimeOption;
  /** Left for the user to delete when its lifetime ends; default false. */
  keepAlive?: boolean;
  pool?: PoolSpecification;
}

/** The job's pool: an existing one by id, or an auto pool; one of the two, never both. */
export interface PoolInformation {
  poolId?: string;
  autoPoolSpecification?: AutoPoolSpecification;
}

/** Why the service could not start the job (REST `JobSchedulingError`): an auto pool it could not create. */
export interface JobSchedulingError {
  category: ErrorCategory;
  code?: string;
  message?: string;
  details?: NameValuePair[];
}

export interface JobConstraints {
  maxWallClockTime?: string;
  maxTaskRetryCount?: number;
}

export type OnAllTasksComplete = "noaction" | "terminatejob";
export type OnTaskFailure = "noaction" | "performexitoptionsjobaction";

/** What a client sends to create a job (`POST /jobs`). */
export interface JobAddParameter {
  id: string;
  displayName?: string;
  priority?: number;
  maxParallelTasks?: number;
  constraints?: JobConstraints;
  commonEnvironmentSettings?: EnvironmentSetting[];
  poolInfo: PoolInformation;
  onAllTasksComplete?: OnAllTasksComplete;
  onTaskFailure?: OnTaskFailure;
  usesTaskDependencies?: boolean;
  allowTaskPreemption?: boolean;
  metadata?: MetadataItem[];
  jobManagerTask?: JobManagerTask;
  jobPreparationTask?: JobPreparationTask;
  jobReleaseTask?: JobReleaseTask;
}

/**
 * `PATCH /jobs/{jobId}` (REST `JobPatchParameter`): only the properties given change; `constraints`
 * and `metadata`, when given, replace the job's whole value.
 */
export interface JobPatchParameter {
  priority?: number;
  maxParallelTasks?: number;
  allowTaskPreemption?: boolean;
  onAllTasksComplete?: OnAllTasksComplete;
  constraints?: JobConstraints;
  /** Changeable only while the job is disabled. */
  poolInfo?: PoolInformation;
  metadata?: MetadataItem[];
}

/**
 * `PUT /jobs/{jobId}` (REST `JobUpdateParameter`): replaces the updatable properties; an omitted
 * one takes its default (priority 0, maxParallelTasks -1, no constraints, no metadata,
 * onAllTasksComplete `noaction`).
 */
export interface JobUpdateParameter extends JobPatchParameter {
  poolInfo: PoolInformation;
}

export type JobState = "active" | "disabling" | "disabled" | "enabling" | "terminating" | "completed" | "deleting";

export interface JobExecutionInformation {
  startTime: string;
  endTime?: string;
  /** The pool the job runs on: `poolInfo.poolId`, or the id the service gave the job's auto pool. */
  poolId?: string;
  schedulingError?: JobSchedulingError;
  terminateReason?: string;
}

/** A job as the service reports it (`GET /jobs/{jobId}`). */
export interface CloudJob extends JobAddParameter {
  url?: string;
  /** Only with `$expand=stats`. */
  stats?: JobStatistics;
  eTag: string;
  lastModified: string;
  creationTime: string;
  state: JobState;
  stateTransitionTime: string;
  previousState?: JobState;
  previousStateTransitionTime?: string;
  priority: number;
  maxParallelTasks: number;
  onAllTasksComplete: OnAllTasksComplete;
  onTaskFailure: OnTaskFailure;
  usesTaskDependencies: boolean;
  executionInfo: JobExecutionInformation;
}

export interface TaskCounts {
  active: number;
  running: number;
  completed: number;
  succeeded: number;
  failed: number;
}

export interface TaskCountsResult {
  taskCounts: TaskCounts;
  taskSlotCounts: TaskCounts;
}
