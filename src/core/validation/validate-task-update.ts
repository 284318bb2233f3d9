import type { TaskUpdateParameter } from "../models/index.js";
import { optionalDuration, optionalObject } from "./checks.js";
import { validateRetryCount } from "./validate-task-parts.js";

/** The service's rules for `Task_Update` (REST `TaskUpdateParameter`): the constraints as at add. */
export function validateTaskUpdate(parameter: TaskUpdateParameter): void {
  const constraints = optionalObject("constraints", (parameter as unknown as Record<string, unknown>).constraints);
  optionalDuration("constraints.maxWallClockTime", constraints?.maxWallClockTime);
  optionalDuration("constraints.retentionTime", constraints?.retentionTime);
  validateRetryCount("constraints.maxTaskRetryCount", constraints?.maxTaskRetryCount);
}
