import { BatchErrors } from "../batch-errors.js";
import { optionalDuration } from "./checks.js";
import { parseDuration } from "./durations.js";

/** The shortest `resizeTimeout` the service accepts (REST: "The minimum value is 5 minutes"). */
export const MIN_RESIZE_TIMEOUT_MS = 5 * 60_000;

/** `resizeTimeout` of Pool_Add, Pool_Resize and Pool_RemoveNodes: a duration of at least 5 minutes, else the service's 400. */
export function optionalResizeTimeout(value: unknown): void {
  optionalDuration("resizeTimeout", value);
  if (typeof value === "string" && parseDuration("resizeTimeout", value) < MIN_RESIZE_TIMEOUT_MS) {
    throw BatchErrors.invalidPropertyValue("resizeTimeout", value, "The minimum value of resizeTimeout is 5 minutes.");
  }
}
