import { checkAccessConditions, type ConditionalOptions } from "../../../core/access-conditions.js";
import { BatchErrors } from "../../../core/batch-errors.js";
import type { LocalContext } from "./local-context.js";

/**
 * `Task_Reactivate` (POST /jobs/{jobId}/tasks/{taskId}/reactivate), as the REST reference describes
 * it: "Reactivation makes a Task eligible to be retried again up to its maximum retry count. The
 * Task's state is changed to active. As the Task is no longer in the completed state, any previous
 * exit code or failure information is no longer available after reactivation. Each time a Task is
 * reactivated, its retry count is reset to 0. Reactivation will fail for Tasks that are not
 * completed or that previously completed successfully (with an exit code of 0). Additionally, it
 * will fail if the Job has completed (or is terminating or deleting)." The codes are those of
 * "Batch status and error codes": 409 TaskNotCompleted, TaskSucceeded, JobCompleted,
 * JobBeingTerminated, JobBeingDeleted. Requeue counts stay: they describe the node's doing, not
 * the task's outcome. The task's retention timer is disarmed by its leaving `completed`.
 */
export function reactivateTask(ctx: LocalContext, ids: { jobId: string; taskId: string }, options?: ConditionalOptions): void {
  const job = ctx.state.jobRecord(ids.jobId);
  const record = ctx.state.taskRecord(ids.jobId, ids.taskId);
  const task = record.task;
  checkAccessConditions(task, options?.conditions, "write");
  if (job.job.state === "deleting") throw BatchErrors.jobBeingDeleted(ids.jobId);
  if (job.job.state === "terminating") throw BatchErrors.jobBeingTerminated(ids.jobId);
  if (job.job.state === "completed") throw BatchErrors.jobCompleted(ids.jobId);
  if (task.state !== "completed") throw BatchErrors.taskNotCompleted(ids.taskId);
  if (task.executionInfo.result === "success") throw BatchErrors.taskSucceeded(ids.taskId);
  const { requeueCount, lastRequeueTime } = task.executionInfo;
  ctx.states.task.transition(record, "active", {
    executionInfo: { retryCount: 0, requeueCount, ...(lastRequeueTime ? { lastRequeueTime } : {}) },
    nodeInfo: undefined,
  });
  ctx.requestScheduling();
}
