import type { ErrorCategory, NameValuePair, TaskExecutionResult, TaskFailureInfo } from "./common.js";
import type { StartTask } from "./pool.js";
import type { TaskState } from "./task.js";

export type ComputeNodeState =
  | "idle"
  | "rebooting"
  | "reimaging"
  | "running"
  | "unusable"
  | "creating"
  | "starting"
  | "waitingforstarttask"
  | "starttaskfailed"
  | "unknown"
  | "leavingpool"
  | "offline"
  | "preempted"
  | "deallocating"
  | "deallocated";

export type SchedulingState = "enabled" | "disabled";

export interface StartTaskInformation {
  state: "running" | "completed";
  startTime: string;
  endTime?: string;
  exitCode?: number;
  failureInfo?: TaskFailureInfo;
  retryCount: number;
  lastRetryTime?: string;
  result?: TaskExecutionResult;
}

export interface TaskInformation {
  taskUrl?: string;
  jobId: string;
  taskId: string;
  /** The subtask's id when the task was part of a multi-instance task. */
  subtaskId?: number;
  taskState: TaskState;
  executionInfo?: { startTime?: string; endTime?: string; exitCode?: number; retryCount: number; requeueCount: number; result?: TaskExecutionResult };
}

export interface ComputeNodeError {
  code: string;
  message: string;
  errorDetails?: NameValuePair[];
}

/** A compute node as the service reports it (`GET /pools/{poolId}/nodes/{nodeId}`). */
export interface ComputeNode {
  id: string;
  url?: string;
  state: ComputeNodeState;
  schedulingState: SchedulingState;
  stateTransitionTime: string;
  lastBootTime?: string;
  allocationTime: string;
  ipAddress: string;
  affinityId: string;
  vmSize: string;
  totalTasksRun: number;
  totalTasksSucceeded: number;
  runningTasksCount: number;
  runningTaskSlotsCount: number;
  recentTasks?: TaskInformation[];
  startTask?: StartTask;
  startTaskInfo?: StartTaskInformation;
  errors?: ComputeNodeError[];
  isDedicated: boolean;
  nodeAgentInfo?: { version: string; lastUpdateTime: string };
}

export type { ErrorCategory };
