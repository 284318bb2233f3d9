import path from "node:path";
import { BatchErrors } from "../../../core/batch-errors.js";
import type { CloudJob, JobAddParameter } from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import { NODE_ROOT_DIR, taskDirectory } from "../execution/node-layout.js";

/** The ids the service gives a job's preparation and release tasks when none is given (REST `JobPreparationTask.id`, `JobReleaseTask.id`). */
export const DEFAULT_PREPARATION_TASK_ID = "jobpreparation";
export const DEFAULT_RELEASE_TASK_ID = "jobrelease";

export function preparationTaskId(job: Pick<JobAddParameter, "jobPreparationTask">): string | undefined {
  return job.jobPreparationTask ? (job.jobPreparationTask.id ?? DEFAULT_PREPARATION_TASK_ID) : undefined;
}

export function releaseTaskId(job: Pick<JobAddParameter, "jobReleaseTask">): string | undefined {
  return job.jobReleaseTask ? (job.jobReleaseTask.id ?? DEFAULT_RELEASE_TASK_ID) : undefined;
}

/**
 * `AZ_BATCH_JOB_PREP_DIR` of the job's tasks, in the container: the preparation task's directory
 * (`workitems/<job>/job-1/<prepId>`), for every task but the start and preparation tasks, when
 * the job has one (batch-compute-node-environment-variables).
 */
export function jobPrepDirectory(job: CloudJob): string | undefined {
  const id = preparationTaskId(job);
  return id === undefined ? undefined : path.posix.join(NODE_ROOT_DIR, taskDirectory(job.id, id));
}

/** A task may not take the id of its job's preparation or release task (409, REST `JobPreparationTask.id`, `JobReleaseTask.id`). */
export function checkTaskIdFree(job: Pick<JobAddParameter, "jobPreparationTask" | "jobReleaseTask">, taskId: string): void {
  const preparation = preparationTaskId(job);
  if (preparation !== undefined && idKey(preparation) === idKey(taskId)) throw BatchErrors.taskIdSameAsJobPreparationTask(taskId);
  const release = releaseTaskId(job);
  if (release !== undefined && idKey(release) === idKey(taskId)) throw BatchErrors.taskIdSameAsJobReleaseTask(taskId);
}
