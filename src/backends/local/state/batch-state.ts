import { BatchErrors } from "../../../core/batch-errors.js";
import { idKey } from "../../../core/validation/ids.js";
import type { JobRecord, NodeRecord, PoolRecord, TaskRecord } from "./records.js";

/** The in-memory state of one local Batch account: pools with their nodes, jobs with their tasks. */
export class BatchState {
  readonly pools = new Map<string, PoolRecord>();
  readonly jobs = new Map<string, JobRecord>();
  private nextJobSequence = 0;

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

  takeJobSequence(): number {
    return this.nextJobSequence++;
  }

  /** Every task of every job, for the scheduler. */
  *allTasks(): Iterable<TaskRecord> {
    for (const job of this.jobs.values()) yield* job.tasks.values();
  }
}

/** The key of a task across jobs. */
export function taskKey(jobId: string, taskId: string): string {
  return `${idKey(jobId)}/${idKey(taskId)}`;
}
