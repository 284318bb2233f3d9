import type { CloudJob } from "./models/index.js";

/**
 * The pool a job runs on: the one `executionInfo.poolId` names ("the actual Pool where the Job is
 * assigned": `poolInfo.poolId`, or the id the service gave the job's auto pool), read from
 * `poolInfo.poolId` for a job recorded without it.
 */
export function jobPoolId(job: CloudJob): string | undefined {
  return job.executionInfo.poolId ?? job.poolInfo.poolId;
}
