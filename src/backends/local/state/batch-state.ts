import { BatchErrors } from "../../../core/batch-errors.js";
import { idKey } from "../../../core/validation/ids.js";
import type { JobRecord, JobScheduleRecord, NodeRecord, PoolRecord, TaskRecord } from "./records.js";
import type { BatchStore, StoredRecord } from "./store.js";

/** The in-memory state of one local Batch account: pools with their nodes, jobs with their tasks. */
export class BatchState implements BatchStore {
  readonly pools = new Map<string, PoolRecord>();
  readonly jobs = new Map<string, JobRecord>();
  readonly jobSchedules = new Map<string, JobScheduleRecord>();
  protected nextJobSequence = 0;

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
    const poolId = job.job.poolInfo.poolId;
    if (!poolId || !record.nodeId) return undefined;
    return this.pools.get(idKey(poolId))?.nodes.get(record.nodeId);
  }

  takeJobSequence(): number {
    return this.nextJobSequence++;
  }

  addPool(record: PoolRecord): void {
    this.pools.set(idKey(record.pool.id), record);
  }

  removePool(record: PoolRecord): void {
    this.pools.delete(idKey(record.pool.id));
  }

  addNode(pool: PoolRecord, record: NodeRecord): void {
    pool.nodes.set(record.node.id, record);
  }

  removeNode(pool: PoolRecord, record: NodeRecord): void {
    pool.nodes.delete(record.node.id);
  }

  addJob(record: JobRecord): void {
    this.jobs.set(idKey(record.job.id), record);
  }

  removeJob(record: JobRecord): void {
    this.jobs.delete(idKey(record.job.id));
  }

  addTask(job: JobRecord, record: TaskRecord): void {
    job.tasks.set(idKey(record.task.id), record);
  }

  removeTask(job: JobRecord, record: TaskRecord): void {
    job.tasks.delete(idKey(record.task.id));
  }

  addJobSchedule(record: JobScheduleRecord): void {
    this.jobSchedules.set(idKey(record.jobSchedule.id), record);
  }

  removeJobSchedule(record: JobScheduleRecord): void {
    this.jobSchedules.delete(idKey(record.jobSchedule.id));
  }

  /** Nothing to do in memory: the records are the state. */
  changed(_record: StoredRecord): void {}
}

/** The key of a task across jobs. */
export function taskKey(jobId: string, taskId: string): string {
  return `${idKey(jobId)}/${idKey(taskId)}`;
}
