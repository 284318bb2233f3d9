import type { JobPatchParameter } from "../models/index.js";
import { BatchErrors } from "../batch-errors.js";
import { optionalArray, optionalBoolean, optionalDuration, optionalEnum, optionalInteger, optionalObject } from "./checks.js";
import { validateId } from "./ids.js";
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
  if (poolInfo) {
    if (poolInfo.autoPoolSpecification !== undefined) {
      throw BatchErrors.unsupportedProperty("poolInfo.autoPoolSpecification", "Auto pools are not supported by Malachite; create the pool first.");
    }
    validateId("poolInfo.poolId", poolInfo.poolId);
  }
  optionalArray("metadata", input.metadata);
}
