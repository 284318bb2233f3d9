import type { ApplicationPackageReference } from "./application.js";
import type { EnvironmentSetting, OutputFile, ResourceFile, TaskContainerSettings, TaskExecutionResult, TaskFailureInfo, UserIdentity } from "./common.js";
import type { TaskConstraints } from "./task.js";

/**
 * The tasks a job carries with it (REST `JobPreparationTask`, `JobReleaseTask`, `JobManagerTask`;
 * SPEC models.tsp `BatchJobPreparationTask`, `BatchJobReleaseTask`, `BatchJobManagerTask`).
 */

/** Runs once on each node before the job's first task there. */
export interface JobPreparationTask {
  /** `jobpreparation` when not given; no task of the job may have this id (409 TaskIdSameAsJobPreparationTask). */
  id?: string;
  commandLine: string;
  containerSettings?: TaskContainerSettings;
  resourceFiles?: ResourceFile[];
  environmentSettings?: EnvironmentSetting[];
  constraints?: TaskConstraints;
  /** Default true: the job's tasks wait on the node until it succeeded, and never run there if it failed. */
  waitForSuccess?: boolean;
  userIdentity?: UserIdentity;
  /** Default true: it runs again after the node rebooted, even if it had succeeded. */
  rerunOnNodeRebootAfterSuccess?: boolean;
}

/** Runs on each node that ran the job's preparation task, when the job is terminated or deleted. */
export interface JobReleaseTask {
  /** `jobrelease` when not given; no task of the job may have this id (409 TaskIdSameAsJobReleaseTask). */
  id?: string;
  commandLine: string;
  containerSettings?: TaskContainerSettings;
  resourceFiles?: ResourceFile[];
  environmentSettings?: EnvironmentSetting[];
  /** At most (and by default) 15 minutes. */
  maxWallClockTime?: string;
  retentionTime?: string;
  userIdentity?: UserIdentity;
}

/** A task of the job, added when the job is created and scheduled before its other tasks. */
export interface JobManagerTask {
  id: string;
  displayName?: string;
  commandLine: string;
  containerSettings?: TaskContainerSettings;
  resourceFiles?: ResourceFile[];
  outputFiles?: OutputFile[];
  environmentSettings?: EnvironmentSetting[];
  constraints?: TaskConstraints;
  requiredSlots?: number;
  /** Default true: the job terminates (`JMComplete`) when the manager completes. */
  killJobOnCompletion?: boolean;
  userIdentity?: UserIdentity;
  /** Default true: no other task runs on its node while it runs. */
  runExclusive?: boolean;
  /** Default true; false: it runs only on a dedicated node. */
  allowLowPriorityNode?: boolean;
  /** Installed on its node before it runs, as a task's. */
  applicationPackageReferences?: ApplicationPackageReference[];
}

export type JobPreparationTaskState = "running" | "completed";
export type JobReleaseTaskState = "running" | "completed";

/** How the preparation task went on one node (REST `JobPreparationTaskExecutionInformation`). */
export interface JobPreparationTaskExecutionInformation {
  startTime: string;
  endTime?: string;
  state: JobPreparationTaskState;
  taskRootDirectory?: string;
  taskRootDirectoryUrl?: string;
  exitCode?: number;
  failureInfo?: TaskFailureInfo;
  retryCount: number;
  lastRetryTime?: string;
  result?: TaskExecutionResult;
}

/** How the release task went on one node (REST `JobReleaseTaskExecutionInformation`). */
export interface JobReleaseTaskExecutionInformation {
  startTime: string;
  endTime?: string;
  state: JobReleaseTaskState;
  taskRootDirectory?: string;
  taskRootDirectoryUrl?: string;
  exitCode?: number;
  failureInfo?: TaskFailureInfo;
  result?: TaskExecutionResult;
}

/** One item of `GET /jobs/{jobId}/jobpreparationandreleasetaskstatus`. */
export interface JobPreparationAndReleaseTaskExecutionInformation {
  poolId?: string;
  nodeId?: string;
  nodeUrl?: string;
  jobPreparationTaskExecutionInfo?: JobPreparationTaskExecutionInformation;
  /** Only once the release task has run on the node. */
  jobReleaseTaskExecutionInfo?: JobReleaseTaskExecutionInformation;
}
