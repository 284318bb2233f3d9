import type { TaskStatistics } from "./statistics.js";
import type { ApplicationPackageReference } from "./application.js";
import type { EnvironmentSetting, OutputFile, ResourceFile, TaskContainerSettings, TaskExecutionResult, TaskFailureInfo, UserIdentity } from "./common.js";
import type { ExitConditions, TaskDependencies } from "./task-dependencies.js";
import type { MultiInstanceSettings } from "./multi-instance.js";

export interface TaskConstraints {
  /** ISO 8601 duration; the task is killed when it runs longer. Infinite by default. */
  maxWallClockTime?: string;
  /** ISO 8601 duration the task directory is kept after completion; 7 days by default. */
  retentionTime?: string;
  /** Retries after a non-zero exit; 0 by default, -1 for no limit. */
  maxTaskRetryCount?: number;
}

/** What a client sends to add a task (`POST /jobs/{jobId}/tasks`, or one entry of `addtaskcollection`). */
export interface TaskAddParameter {
  id: string;
  displayName?: string;
  commandLine: string;
  containerSettings?: TaskContainerSettings;
  resourceFiles?: ResourceFile[];
  outputFiles?: OutputFile[];
  environmentSettings?: EnvironmentSetting[];
  constraints?: TaskConstraints;
  requiredSlots?: number;
  userIdentity?: UserIdentity;
  /** Only in a job with `usesTaskDependencies`. */
  dependsOn?: TaskDependencies;
  exitConditions?: ExitConditions;
  multiInstanceSettings?: MultiInstanceSettings;
  /** Installed on the node before the task runs. */
  applicationPackageReferences?: ApplicationPackageReference[];
}

/** `PUT /jobs/{jobId}/tasks/{taskId}` (REST `TaskUpdateParameter`): the constraints replace the task's; omitted, the defaults. */
export interface TaskUpdateParameter {
  constraints?: TaskConstraints;
}

export type TaskState = "active" | "preparing" | "running" | "completed";

export interface TaskExecutionInformation {
  startTime?: string;
  endTime?: string;
  exitCode?: number;
  failureInfo?: TaskFailureInfo;
  retryCount: number;
  lastRetryTime?: string;
  requeueCount: number;
  lastRequeueTime?: string;
  result?: TaskExecutionResult;
}

export interface ComputeNodeInformation {
  affinityId?: string;
  nodeUrl?: string;
  poolId?: string;
  nodeId?: string;
  taskRootDirectory?: string;
  taskRootDirectoryUrl?: string;
}

/** A task as the service reports it (`GET /jobs/{jobId}/tasks/{taskId}`). */
export interface CloudTask extends TaskAddParameter {
  url?: string;
  /** Only with `$expand=stats`. */
  stats?: TaskStatistics;
  eTag: string;
  lastModified: string;
  creationTime: string;
  state: TaskState;
  stateTransitionTime: string;
  previousState?: TaskState;
  previousStateTransitionTime?: string;
  constraints: Required<Pick<TaskConstraints, "retentionTime" | "maxTaskRetryCount">> & TaskConstraints;
  requiredSlots: number;
  executionInfo: TaskExecutionInformation;
  nodeInfo?: ComputeNodeInformation;
}

export type TaskAddStatus = "success" | "clienterror" | "servererror";

export interface TaskAddResult {
  status: TaskAddStatus;
  taskId: string;
  eTag?: string;
  lastModified?: string;
  location?: string;
  error?: { code: string; message: { lang: string; value: string }; values?: { key: string; value: string }[] };
}
