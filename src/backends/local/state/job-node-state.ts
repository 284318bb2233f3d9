import type { JobPreparationTaskExecutionInformation, JobReleaseTaskExecutionInformation } from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import type { JobRecord } from "./records.js";
import type { StateContext } from "./versioning.js";

/** What one job did on one node: its preparation and release tasks there (REST `JobPreparationAndReleaseTaskExecutionInformation`). */
export interface JobNodeRecord {
  poolId: string;
  nodeId: string;
  nodeUrl: string;
  /** The node's `lastBootTime` when the preparation task last started there: a later boot is a reboot since. */
  bootTime?: string;
  preparation?: JobPreparationTaskExecutionInformation;
  release?: JobReleaseTaskExecutionInformation;
}

/** The key of a job's record of a node: node ids are unique within their pool. */
export function jobNodeKey(poolId: string, nodeId: string): string {
  return `${idKey(poolId)}/${nodeId}`;
}

/**
 * The only writer of jobs' per-node preparation and release records. They are kept, and
 * journaled, with their job, but they are not the job's properties: the job's ETag and
 * last-modified time do not change with them.
 */
export class JobNodeStates {
  constructor(private readonly ctx: StateContext) {}

  /** Changes the job's record of the node, made on first use. */
  update(job: JobRecord, node: Pick<JobNodeRecord, "poolId" | "nodeId" | "nodeUrl">, fields: Partial<JobNodeRecord>): JobNodeRecord {
    job.nodeTasks ??= new Map();
    const key = jobNodeKey(node.poolId, node.nodeId);
    let record = job.nodeTasks.get(key);
    if (!record) {
      record = { poolId: node.poolId, nodeId: node.nodeId, nodeUrl: node.nodeUrl };
      job.nodeTasks.set(key, record);
    }
    Object.assign(record, fields);
    this.ctx.store.changed(job);
    return record;
  }
}
