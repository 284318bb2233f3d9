import type { ResourceFile, TaskExecutionResult, TaskFailureInfo } from "./common.js";
import type { ComputeNodeInformation } from "./task.js";

/**
 * How to run a multi-instance task (REST `MultiInstanceSettings`): on `numberOfInstances` nodes at
 * once, one primary and subtasks; each runs `coordinationCommandLine`, then the primary runs the
 * task's command line (articles/batch/batch-mpi.md).
 */
export interface MultiInstanceSettings {
  /** The number of compute nodes the task needs; 1 by default. */
  numberOfInstances?: number;
  /** Run on every node (primary and subtasks) before the primary runs the task's command line. */
  coordinationCommandLine?: string;
  /** Downloaded on every node into the task's directory (`AZ_BATCH_TASK_SHARED_DIR`), not its working directory. */
  commonResourceFiles?: ResourceFile[];
}

/** REST `SubtaskState`: a subtask starts `running` (the SDKs say it has no previous state then). */
export type SubtaskState = "preparing" | "running" | "completed";

/** One subtask of a multi-instance task (`GET /jobs/{jobId}/tasks/{taskId}/subtasksinfo`); the primary (id 0) is not listed. */
export interface SubtaskInformation {
  id: number;
  nodeInfo?: ComputeNodeInformation;
  startTime?: string;
  endTime?: string;
  exitCode?: number;
  failureInfo?: TaskFailureInfo;
  state: SubtaskState;
  stateTransitionTime: string;
  previousState?: SubtaskState;
  previousStateTransitionTime?: string;
  result?: TaskExecutionResult;
}
