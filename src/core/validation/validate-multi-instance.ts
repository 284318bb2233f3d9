import { BatchErrors } from "../batch-errors.js";
import { optionalInteger, optionalObject, optionalString } from "./checks.js";
import { validateResourceFiles } from "./validate-task-parts.js";

/**
 * A task's `multiInstanceSettings`: at least one instance, and (as the REST reference says of
 * `requiredSlots`) "For multi-instance Tasks, this must be 1". A pool that cannot run the task
 * (inter-node communication disabled, more than one slot per node, too few nodes) is no error:
 * the task stays active (articles/batch/batch-mpi.md, "Requirements for multi-instance tasks").
 */
export function validateMultiInstanceSettings(input: Record<string, unknown>): void {
  const settings = optionalObject("multiInstanceSettings", input.multiInstanceSettings);
  if (!settings) return;
  optionalInteger("multiInstanceSettings.numberOfInstances", settings.numberOfInstances, 1);
  optionalString("multiInstanceSettings.coordinationCommandLine", settings.coordinationCommandLine);
  validateResourceFiles("multiInstanceSettings.commonResourceFiles", settings.commonResourceFiles);
  if (input.requiredSlots !== undefined && input.requiredSlots !== null && input.requiredSlots !== 1) {
    throw BatchErrors.invalidPropertyValue("requiredSlots", input.requiredSlots, "For multi-instance tasks, requiredSlots must be 1.");
  }
}

/** How many nodes a task needs at once: numberOfInstances for a multi-instance task, undefined for any other. */
export function instancesOf(task: { multiInstanceSettings?: { numberOfInstances?: number } }): number | undefined {
  return task.multiInstanceSettings ? (task.multiInstanceSettings.numberOfInstances ?? 1) : undefined;
}
