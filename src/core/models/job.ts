import type { JobStatistics } from "./statistics.js";
import type { EnvironmentSetting, MetadataItem } from "./common.js";
import type { JobManagerTask, JobPreparationTask, JobReleaseTask } from "./job-tasks.js";

export interface PoolInformation {
  poolId?: string;
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
  poolId?: string;
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
