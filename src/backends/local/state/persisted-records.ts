import type { CloudJob, CloudJobSchedule, CloudPool, CloudTask, ComputeNode, SubtaskInformation } from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import type { JobNodeRecord } from "./job-node-state.js";
import type { TaskUsage } from "./task-usage.js";
import type { JobRecord, JobScheduleRecord, NodeRecord, NodeUserRecord, PendingNodeOperation, PoolRecord, TaskRecord } from "./records.js";

/** One line of the journal: a record as written, or the removal of one (with everything below it). */
export type JournalEntry =
  | { op: "put"; kind: "pool"; key: string; value: { pool: CloudPool; nextNodeIndex: number; accountPasswordHashes?: Record<string, string> } }
  | {
      op: "put";
      kind: "node";
      key: string;
      value: {
        poolKey: string;
        node: ComputeNode;
        poolId: string;
        hostRoot: string;
        containerId?: string;
        users?: NodeUserRecord[];
        pending?: PendingNodeOperation;
      };
    }
  | { op: "put"; kind: "job"; key: string; value: { job: CloudJob; sequence: number; nextTaskSequence: number; nodeTasks?: JobNodeRecord[] } }
  | {
      op: "put";
      kind: "task";
      key: string;
      value: { jobKey: string; jobId: string; task: CloudTask; sequence: number; nodeId?: string; subtasks?: SubtaskInformation[]; usage?: TaskUsage };
    }
  | { op: "put"; kind: "jobschedule"; key: string; value: Omit<JobScheduleRecord, "jobSchedule"> & { jobSchedule: CloudJobSchedule } }
  | { op: "del"; kind: "pool" | "node" | "job" | "task" | "jobschedule"; key: string };

export const poolKeyOf = (record: PoolRecord): string => idKey(record.pool.id);
export const nodeKeyOf = (record: NodeRecord): string => `${idKey(record.poolId)}/${record.node.id}`;
export const jobKeyOf = (record: JobRecord): string => idKey(record.job.id);
export const taskKeyOf = (record: TaskRecord): string => `${idKey(record.jobId)}/${idKey(record.task.id)}`;
export const jobScheduleKeyOf = (record: JobScheduleRecord): string => idKey(record.jobSchedule.id);

/** The Batch part of each record; machinery (abort controllers, running attempts) is never written. */
export const persist = {
  pool: (r: PoolRecord): JournalEntry => ({
    op: "put",
    kind: "pool",
    key: poolKeyOf(r),
    value: { pool: r.pool, nextNodeIndex: r.nextNodeIndex, ...(r.accountPasswordHashes ? { accountPasswordHashes: r.accountPasswordHashes } : {}) },
  }),
  node: (r: NodeRecord): JournalEntry => ({
    op: "put",
    kind: "node",
    key: nodeKeyOf(r),
    value: {
      poolKey: idKey(r.poolId),
      poolId: r.poolId,
      node: r.node,
      hostRoot: r.hostRoot,
      containerId: r.containerId,
      ...(r.users ? { users: r.users } : {}),
      ...(r.pending ? { pending: r.pending } : {}),
    },
  }),
  job: (r: JobRecord): JournalEntry => ({
    op: "put",
    kind: "job",
    key: jobKeyOf(r),
    value: { job: r.job, sequence: r.sequence, nextTaskSequence: r.nextTaskSequence, ...(r.nodeTasks ? { nodeTasks: [...r.nodeTasks.values()] } : {}) },
  }),
  task: (r: TaskRecord): JournalEntry => ({
    op: "put",
    kind: "task",
    key: taskKeyOf(r),
    value: {
      jobKey: idKey(r.jobId),
      jobId: r.jobId,
      task: r.task,
      sequence: r.sequence,
      nodeId: r.nodeId,
      subtasks: r.subtasks,
      ...(r.usage ? { usage: r.usage } : {}),
    },
  }),
  jobSchedule: (r: JobScheduleRecord): JournalEntry => ({
    op: "put",
    kind: "jobschedule",
    key: jobScheduleKeyOf(r),
    value: {
      jobSchedule: r.jobSchedule,
      jobCount: r.jobCount,
      scheduleSetTime: r.scheduleSetTime,
      lastDueTime: r.lastDueTime,
      ...(r.autoPoolId ? { autoPoolId: r.autoPoolId } : {}),
    },
  }),
};
