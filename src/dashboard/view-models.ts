/**
 * What the dashboard's server sends its page: each view is a set of named collections of
 * entities by id, sent whole once (`snapshot`) and then as diffs (`diff`) over server-sent events.
 * Types only: the page (web/) imports them too.
 */
import type { CloudJob, CloudPool, CloudTask, ComputeNode, NodeFile, TaskCounts } from "../core/models/index.js";

/** One view's state: collections by name, entities by id. */
export type ViewState = Record<string, Record<string, unknown>>;

/** What changed in a view since the last message: entities set (added or changed), ids removed. */
export interface ViewDiff {
  set: Record<string, Record<string, unknown>>;
  removed: Record<string, string[]>;
}

/** A pool in the account overview, with its nodes counted by state. */
export interface PoolSummary {
  id: string;
  state: CloudPool["state"];
  allocationState: CloudPool["allocationState"];
  vmSize: string;
  currentDedicatedNodes: number;
  currentLowPriorityNodes: number;
  targetDedicatedNodes: number;
  targetLowPriorityNodes: number;
  taskSlotsPerNode: number;
  nodeStates: Record<string, number>;
}

/** A job in the account overview, with its tasks counted by state. */
export interface JobSummary {
  id: string;
  state: CloudJob["state"];
  poolId?: string;
  creationTime: string;
  taskCounts?: TaskCounts;
}

/** One row of a job's task table. */
export interface TaskRow {
  id: string;
  displayName?: string;
  state: CloudTask["state"];
  nodeId?: string;
  poolId?: string;
  exitCode?: number;
  result?: string;
  failureCode?: string;
  retryCount: number;
  requeueCount: number;
  startTime?: string;
  endTime?: string;
  requiredSlots: number;
}

/** One run of a task on a node: the task's first run is attempt 0, each retry or requeue adds one. */
export interface TaskAttempt {
  attempt: number;
  nodeId: string;
  start: string;
  end?: string;
  exitCode?: number;
  result?: string;
}

/** The collections of each view. */
export interface OverviewView {
  pools: Record<string, PoolSummary>;
  jobs: Record<string, JobSummary>;
}
export interface PoolView {
  pool: Record<string, CloudPool>;
  nodes: Record<string, ComputeNode>;
}
export interface JobView {
  job: Record<string, CloudJob>;
  tasks: Record<string, TaskRow>;
  /** Attempts by task id: those this dashboard saw, and always each task's latest. */
  attempts: Record<string, TaskAttempt[]>;
}
export interface TaskView {
  task: Record<string, CloudTask>;
}

/** Text appended to a task's stdout.txt or stderr.txt (`output` events of a task's stream). */
export interface OutputChunk {
  file: string;
  text: string;
  /** True when the beginning of the file was left out (only its tail is sent). */
  truncated?: boolean;
}

/** A file of a task's or node's directory, as the file lists show it. */
export type FileEntry = Pick<NodeFile, "name" | "isDirectory"> & { contentLength?: number; lastModified?: string };

/** Why a view ended: its entity is gone (deleted), or could not be read. */
export interface ViewEnded {
  code: string;
  message: string;
}
