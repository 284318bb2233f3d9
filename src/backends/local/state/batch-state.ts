import { BatchErrors } from "../../../core/batch-errors.js";
import { idKey } from "../../../core/validation/ids.js";
import { indexTaskAdded, indexTaskRemoved } from "./job-task-index.js";
import type { JobRecord, JobScheduleRecord, NodeRecord, PoolRecord, TaskRecord } from "./records.js";
import type { BatchStore, StoredRecord } from "./store.js";
import { jobPoolId } from "../../../core/job-pool.js";

/** The in-memory state of one local Batch account: pools with their nodes, jobs with their tasks. */
export class BatchState implements BatchStore {
  readonly pools = new Map<string, PoolRecord>();
  readonly jobs = new Map<string, JobRecord>();
  readonly jobSchedules = new Map<string, JobScheduleRecord>();
  protected nextJobSequence = 0;
  private readonly watchers = new Set<() => void>();

  /** Calls `listener` after every change of the state (an entity added, removed or changed); returns the unsubscribe. */
  watch(listener: () => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /** Tells the watchers; a watcher's own failure is its own and never breaks a state change. */
  protected notify(): void {
    for (const listener of this.watchers) {
      try {
        listener();
      } catch {
        // A watcher (the dashboard) must not make a state change fail.
      }
    }
  }

  poolRecord(poolId: string): PoolRecord {
    const record = this.pools.get(idKey(poolId));
    if (!record) throw BatchErrors.poolNotFound(poolId);
    return record;
  }

  nodeRecord(poolId: string, nodeId: string): NodeRecord {
    const record = this.poolRecord(poolId).nodes.get(nodeId);
    if (!record) throw BatchErrors.nodeNotFound(nodeId);
    return record;
  }

  jobRecord(jobId: string): JobRecord {
    const record = this.jobs.get(idKey(jobId));
    if (!record) throw BatchErrors.jobNotFound(jobId);
    return record;
  }

  taskRecord(jobId: string, taskId: string): TaskRecord {
    const record = this.jobRecord(jobId).tasks.get(idKey(taskId));
    if (!record) throw BatchErrors.taskNotFound(taskId);
    return record;
  }

  jobScheduleRecord(jobScheduleId: string): JobScheduleRecord {
    const record = this.jobSchedules.get(idKey(jobScheduleId));
    if (!record) throw BatchErrors.jobScheduleNotFound(jobScheduleId);
    return record;
  }

  nodeOfTask(job: JobRecord, record: TaskRecord): NodeRecord | undefined {
    const poolId = jobPoolId(job.job);
    if (!poolId || !record.nodeId) return undefined;
    return this.pools.get(idKey(poolId))?.nodes.get(record.nodeId);
  }

  takeJobSequence(): number {
    return this.nextJobSequence++;
  }

  addPool(record: PoolRecord): void {
    this.pools.set(idKey(record.pool.id), record);
    this.notify();
  }

  removePool(record: PoolRecord): void {
    this.pools.delete(idKey(record.pool.id));
    this.notify();
  }

  addNode(pool: PoolRecord, record: NodeRecord): void {
    pool.nodes.set(record.node.id, record);
    this.notify();
  }

  removeNode(pool: PoolRecord, record: NodeRecord): void {
    pool.nodes.delete(record.node.id);
    this.notify();
  }

  addJob(record: JobRecord): void {
    this.jobs.set(idKey(record.job.id), record);
    this.notify();
  }

  removeJob(record: JobRecord): void {
    this.jobs.delete(idKey(record.job.id));
    this.notify();
  }

  addTask(job: JobRecord, record: TaskRecord): void {
    job.tasks.set(idKey(record.task.id), record);
    indexTaskAdded(job, record);
    this.notify();
  }

  removeTask(job: JobRecord, record: TaskRecord): void {
    job.tasks.delete(idKey(record.task.id));
    indexTaskRemoved(record);
    this.notify();
  }

  addJobSchedule(record: JobScheduleRecord): void {
    this.jobSchedules.set(idKey(record.jobSchedule.id), record);
    this.notify();
  }

  removeJobSchedule(record: JobScheduleRecord): void {
    this.jobSchedules.delete(idKey(record.jobSchedule.id));
    this.notify();
  }

  /** In memory the records are the state: only the watchers are told. */
  changed(_record: StoredRecord): void {
    this.notify();
  }
}

/** The key of a task across jobs. */
export function taskKey(jobId: string, taskId: string): string {
  return `${idKey(jobId)}/${idKey(taskId)}`;
}
