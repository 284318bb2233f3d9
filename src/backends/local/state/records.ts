import type { CloudJob, CloudJobSchedule, CloudPool, CloudTask, ComputeNode, ComputeNodeRebootOption, SubtaskInformation } from "../../../core/models/index.js";
import type { JobNodeRecord } from "./job-node-state.js";
import type { TaskUsage } from "./task-usage.js";

/** A compute node and the local machinery behind it. */
export interface NodeRecord {
  poolId: string;
  node: ComputeNode;
  /** The node's root directory on the host (bind-mounted at AZ_BATCH_NODE_ROOT_DIR). */
  hostRoot: string;
  containerId?: string;
  /** Tasks running on the node, by task key. */
  running: Map<string, TaskRecord>;
  usedSlots: number;
  /** Set when the node is being removed; nothing new is scheduled on it. */
  leaving: boolean;
  /**
   * Set while a reboot, reimage or deallocation waits for the node's running tasks to complete
   * (`taskcompletion`, `retaineddata`); nothing new is scheduled on it meanwhile (node-control.ts).
   */
  draining?: boolean;
  /**
   * A reboot, reimage or deallocation asked for and not done yet, kept with the node so that a
   * restart of Malachite finishes it (node-control.ts `resume`).
   */
  pending?: PendingNodeOperation;
  /** Settles when the node's current bring-up (container, start task) has ended. */
  startup?: Promise<void>;
  /** Its node users (`ComputeNode_AddUser`), re-created on each new container of the node. */
  users?: NodeUserRecord[];
}

/** A node operation under way: the state it ends in and the option it was asked with. */
export interface PendingNodeOperation {
  operation: "rebooting" | "reimaging" | "deallocating";
  option: ComputeNodeRebootOption;
}

/** A node user as kept to re-create it: its password only as a crypt(3) hash. */
export interface NodeUserRecord {
  name: string;
  isAdmin: boolean;
  expiryTime: string;
  passwordHash?: string;
  sshPublicKey?: string;
}

export interface PoolRecord {
  pool: CloudPool;
  nodes: Map<string, NodeRecord>;
  nextNodeIndex: number;
  /** The crypt(3) hashes of the passwords of the pool's `userAccounts`, by account name: the pool keeps none in clear. */
  accountPasswordHashes?: Record<string, string>;
}

export interface TaskRecord {
  jobId: string;
  task: CloudTask;
  /** Creation order within the job: tasks are scheduled first come, first served. */
  sequence: number;
  /** Aborts the running attempt; the reason says why (terminate, timeout, requeue, delete). */
  abort?: AbortController;
  /** Settles when the running attempt has stopped and its outcome is recorded. */
  run?: Promise<void>;
  /** The node the task last ran on (its directory is there). */
  nodeId?: string;
  /** The running attempt's wall clock, whose limit Task_Update may change. */
  wallClock?: { set(limitMs: number | undefined): void };
  /** A multi-instance task's subtasks in its current or last attempt (subtask-state.ts). */
  subtasks?: SubtaskInformation[];
  /** What its finished attempts used (task-usage.ts), for its statistics. */
  usage?: TaskUsage;
}

export interface JobRecord {
  job: CloudJob;
  tasks: Map<string, TaskRecord>;
  sequence: number;
  nextTaskSequence: number;
  /** What the job's preparation and release tasks did on each node, by `jobNodeKey`. */
  nodeTasks?: Map<string, JobNodeRecord>;
}

/** The attempts of these tasks that are still running, to wait for them. */
export function runningAttempts(tasks: Iterable<TaskRecord>): Promise<void>[] {
  const runs: Promise<void>[] = [];
  for (const task of tasks) if (task.run) runs.push(task.run);
  return runs;
}

/** Why a running task was stopped from outside. */
export type AbortReason = "terminate" | "timeout" | "requeue" | "delete";

/** A job schedule and where it is in its timeline. */
export interface JobScheduleRecord {
  jobSchedule: CloudJobSchedule;
  /** How many jobs the schedule has created; the next is `{id}:job-{jobCount + 1}`. */
  jobCount: number;
  /** When the current schedule was given (creation, or a patch or update with a schedule): due times count from it without `doNotRunUntil`. */
  scheduleSetTime: string;
  /** The due time of the recurrence the most recent job was created for. */
  lastDueTime?: string;
  /** The id of the schedule's auto pool (`poolLifetimeOption` `jobschedule`), from its first job on. */
  autoPoolId?: string;
}
