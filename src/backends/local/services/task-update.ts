import { checkAccessConditions, type ConditionalOptions } from "../../../core/access-conditions.js";
import { BatchErrors } from "../../../core/batch-errors.js";
import type { CloudTask, TaskConstraints, TaskUpdateParameter } from "../../../core/models/index.js";
import { INFINITE_DURATION, optionalDurationMs } from "../../../core/validation/durations.js";
import { validateTaskUpdate } from "../../../core/validation/validate-task-update.js";
import type { JobRecord } from "../state/records.js";
import type { LocalContext } from "./local-context.js";
import type { TaskRetention } from "./task-retention.js";

/**
 * The constraints `Task_Update` gives: REST `TaskUpdateParameter.constraints`, "If omitted, the
 * Task is given the default constraints", the defaults of `TaskConstraints` (an infinite wall
 * clock, 7 days of retention) and, as at add, the job's `maxTaskRetryCount` (else 0).
 */
function replacedConstraints(given: TaskConstraints | undefined, job: JobRecord): CloudTask["constraints"] {
  return {
    maxWallClockTime: given?.maxWallClockTime ?? INFINITE_DURATION,
    retentionTime: given?.retentionTime ?? "P7D",
    maxTaskRetryCount: given?.maxTaskRetryCount ?? job.job.constraints?.maxTaskRetryCount ?? 0,
  };
}

/**
 * `Task_Update` (PUT /jobs/{jobId}/tasks/{taskId}): replaces the task's constraints, in whatever
 * state the task is; the REST reference names no state that refuses it, and a completed task's
 * `retentionTime` is what matters after it ran. A running task's new `maxWallClockTime` applies to
 * the attempt under way, counted from its start; the new `maxTaskRetryCount` to its next failure;
 * a completed task's new `retentionTime` counts from its end.
 */
export function updateTask(
  ctx: LocalContext,
  retention: TaskRetention,
  ids: { jobId: string; taskId: string },
  parameter: TaskUpdateParameter,
  options?: ConditionalOptions,
): CloudTask {
  validateTaskUpdate(parameter);
  const job = ctx.state.jobRecord(ids.jobId);
  const record = ctx.state.taskRecord(ids.jobId, ids.taskId);
  checkAccessConditions(record.task, options?.conditions, "write");
  if (job.job.state === "deleting") throw BatchErrors.jobBeingDeleted(ids.jobId);
  const constraints = replacedConstraints(parameter.constraints, job);
  ctx.states.task.update(record, { constraints });
  record.wallClock?.set(optionalDurationMs("constraints.maxWallClockTime", constraints.maxWallClockTime));
  retention.arm(record);
  return record.task;
}
