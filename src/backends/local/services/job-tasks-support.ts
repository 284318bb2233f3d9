import type { JobAddParameter, TaskContainerSettings } from "../../../core/models/index.js";
import { containerSettingsWithoutSecrets, validateContainerSettings } from "./container-validation.js";
import { preparationTaskId, releaseTaskId } from "./job-task-ids.js";

type JobTaskName = "jobPreparationTask" | "jobReleaseTask" | "jobManagerTask";
const JOB_TASKS: readonly JobTaskName[] = ["jobPreparationTask", "jobReleaseTask", "jobManagerTask"];

/** What the local backend can run of a job's own tasks: as for tasks, containers it can start. */
export function checkJobTasksSupported(job: JobAddParameter): void {
  for (const name of JOB_TASKS) {
    const task = job[name] as { containerSettings?: TaskContainerSettings } | undefined;
    if (!task) continue;
    validateContainerSettings(`${name}.containerSettings`, task.containerSettings);
  }
}

/**
 * The job's own tasks as kept and reported: the preparation and release tasks with the ids the
 * service assigns when none is given (REST `JobPreparationTask.id`, `JobReleaseTask.id`), and no
 * registry password, as for tasks.
 */
export function storedJobTasks(job: JobAddParameter): Partial<JobAddParameter> {
  const kept: Partial<JobAddParameter> = {};
  for (const name of JOB_TASKS) {
    const task = job[name];
    if (!task) continue;
    const copy = structuredClone(task);
    if (copy.containerSettings) copy.containerSettings = containerSettingsWithoutSecrets(copy.containerSettings);
    Object.assign(kept, { [name]: copy });
  }
  if (kept.jobPreparationTask) kept.jobPreparationTask.id = preparationTaskId(kept);
  if (kept.jobReleaseTask) kept.jobReleaseTask.id = releaseTaskId(kept);
  return kept;
}
