import { BatchErrors } from "../../../core/batch-errors.js";
import type { JobPreparationAndReleaseTaskExecutionInformation } from "../../../core/models/index.js";
import type { JobRecord } from "../state/records.js";

/**
 * `Job_ListPreparationAndReleaseTaskStatus`: one item per node that ran the job's preparation or
 * release task, nodes since removed from the pool included; 409 `JobPreparationTaskNotSpecified`
 * for a job without a preparation task (REST docs of the operation).
 */
export function preparationAndReleaseTaskStatus(job: JobRecord): JobPreparationAndReleaseTaskExecutionInformation[] {
  if (!job.job.jobPreparationTask) throw BatchErrors.jobPreparationTaskNotSpecified(job.job.id);
  const items: JobPreparationAndReleaseTaskExecutionInformation[] = [];
  for (const record of job.nodeTasks?.values() ?? []) {
    if (!record.preparation && !record.release) continue;
    items.push(
      structuredClone({
        poolId: record.poolId,
        nodeId: record.nodeId,
        nodeUrl: record.nodeUrl,
        ...(record.preparation ? { jobPreparationTaskExecutionInfo: record.preparation } : {}),
        ...(record.release ? { jobReleaseTaskExecutionInfo: record.release } : {}),
      }),
    );
  }
  return items;
}
