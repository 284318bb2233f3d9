import type { JobRecord, JobScheduleRecord, NodeRecord, PoolRecord, TaskRecord } from "./records.js";

/** Any record the store holds. */
export type StoredRecord = PoolRecord | NodeRecord | JobRecord | TaskRecord | JobScheduleRecord;

/**
 * Where the local backend's Batch state lives. The state modules (pool-state, node-state,
 * job-state, task-state) are its only writers, and report every change through `changed`, so a
 * durable implementation can persist it; `BatchState` is the in-memory one.
 */
export interface BatchStore {
  /** Pools by id key (see `idKey`); each holds its nodes. */
  readonly pools: ReadonlyMap<string, PoolRecord>;
  /** Jobs by id key; each holds its tasks. */
  readonly jobs: ReadonlyMap<string, JobRecord>;
  /** Job schedules by id key. */
  readonly jobSchedules: ReadonlyMap<string, JobScheduleRecord>;
  poolRecord(poolId: string): PoolRecord;
  nodeRecord(poolId: string, nodeId: string): NodeRecord;
  jobRecord(jobId: string): JobRecord;
  taskRecord(jobId: string, taskId: string): TaskRecord;
  jobScheduleRecord(jobScheduleId: string): JobScheduleRecord;
  /** The record of the node a task ran or runs on, if it still exists. */
  nodeOfTask(job: JobRecord, record: TaskRecord): NodeRecord | undefined;
  takeJobSequence(): number;
  addPool(record: PoolRecord): void;
  removePool(record: PoolRecord): void;
  addNode(pool: PoolRecord, record: NodeRecord): void;
  removeNode(pool: PoolRecord, record: NodeRecord): void;
  addJob(record: JobRecord): void;
  removeJob(record: JobRecord): void;
  addTask(job: JobRecord, record: TaskRecord): void;
  removeTask(job: JobRecord, record: TaskRecord): void;
  addJobSchedule(record: JobScheduleRecord): void;
  removeJobSchedule(record: JobScheduleRecord): void;
  /** Called after every change of a record's Batch fields. */
  changed(record: StoredRecord): void;
  /** Calls `listener` after every change (add, remove, `changed`); returns the unsubscribe. For watchers such as the dashboard. */
  watch(listener: () => void): () => void;
}
