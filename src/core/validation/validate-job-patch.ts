import type { JobPatchParameter } from "../models/index.js";
import { BatchErrors } from "../batch-errors.js";
import { optionalArray, optionalBoolean, optionalDuration, optionalEnum, optionalInteger, optionalObject } from "./checks.js";
import { validatePoolInfo } from "./validate-auto-pool.js";
import { validateRetryCount } from "./validate-task-parts.js";

/** The service's rules for the properties of `Job_Patch` and `Job_Update` (REST `JobPatchParameter`). */
export function validateJobPatch(patch: JobPatchParameter): void {
  const input = patch as unknown as Record<string, unknown>;
  optionalInteger("priority", input.priority, -1000, 1000);
  optionalInteger("maxParallelTasks", input.maxParallelTasks, -1);
  if (input.maxParallelTasks === 0) {
    throw BatchErrors.invalidPropertyValue("maxParallelTasks", 0, "The value must be -1 or greater than 0.");
  }
  optionalBoolean("allowTaskPreemption", input.allowTaskPreemption);
  optionalEnum("onAllTasksComplete", input.onAllTasksComplete, ["noaction", "terminatejob"]);
  const constraints = optionalObject("constraints", input.constraints);
  optionalDuration("constraints.maxWallClockTime", constraints?.maxWallClockTime);
  validateRetryCount("constraints.maxTaskRetryCount", constraints?.maxTaskRetryCount);
  const poolInfo = optionalObject("poolInfo", input.poolInfo);
  // A job of a schedule may carry the schedule's pool lifetime: whether the change is allowed is the job's to say.
  if (poolInfo) validatePoolInfo("poolInfo", poolInfo, "jobSchedule");
  optionalArray("metadata", input.metadata);
}
