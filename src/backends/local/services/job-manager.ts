import type { CloudJob, JobManagerTask, TaskAddParameter } from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import type { BatchStore } from "../state/store.js";
import type { JobRecord, NodeRecord, TaskRecord } from "../state/records.js";

/**
 * The Job Manager Task (REST `JobManagerTask`): a task of the job, added when the job is created
 * (so, added first, it is scheduled before the job's other tasks), that
 * - with `killJobOnCompletion` (default true) terminates the job when it completes, with
 *   `terminateReason` `JMComplete`, whatever its result;
 * - with `runExclusive` (default true) runs alone on its node: it starts only on a node running
 *   nothing, and nothing else starts there while it runs;
 * - with `allowLowPriorityNode` (default true) may run on Spot/low-priority nodes; with false it
 *   waits for a dedicated node.
 * Its environment is a task's: the environment-variables article lists no variable for job
 * managers (`AZ_BATCH_AUTHENTICATION_TOKEN` comes only with `authenticationTokenSettings`, which
 * Malachite refuses).
 */

/** The manager as the task it becomes. */
export function jobManagerTaskParameter(manager: JobManagerTask): TaskAddParameter {
  const { killJobOnCompletion: _kill, runExclusive: _exclusive, allowLowPriorityNode: _lowPriority, ...task } = manager;
  return task;
}

function isJobManager(job: CloudJob, task: TaskRecord): boolean {
  return job.jobManagerTask !== undefined && idKey(job.jobManagerTask.id) === idKey(task.task.id);
}

/** The task is its job's manager, which must run alone on its node. */
export function runsExclusively(job: CloudJob, task: TaskRecord): boolean {
  return isJobManager(job, task) && (job.jobManagerTask?.runExclusive ?? true);
}

/** The task is its job's manager and may not run on a Spot/low-priority node. */
export function needsDedicatedNode(job: CloudJob, task: TaskRecord): boolean {
  return isJobManager(job, task) && job.jobManagerTask?.allowLowPriorityNode === false;
}

/** A task that must run alone runs on the node now. */
export function nodeRunsExclusiveTask(state: BatchStore, node: NodeRecord): boolean {
  for (const task of node.running.values()) {
    const job = state.jobs.get(idKey(task.jobId));
    if (job && runsExclusively(job.job, task)) return true;
  }
  return false;
}

/** The job's manager has completed and its completion ends the job. */
export function jobManagerEndsJob(job: JobRecord): boolean {
  const manager = job.job.jobManagerTask;
  if (!manager || manager.killJobOnCompletion === false) return false;
  return job.tasks.get(idKey(manager.id))?.task.state === "completed";
}
