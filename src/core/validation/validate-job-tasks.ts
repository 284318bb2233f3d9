import { BatchErrors } from "../batch-errors.js";
import type { JobAddParameter } from "../models/index.js";
import { optionalBoolean, optionalDuration, optionalInteger, optionalObject, optionalString, requireString } from "./checks.js";
import { parseDuration } from "./durations.js";
import { validateId } from "./ids.js";
import { validateEnvironmentSettings, validateOutputFiles, validateResourceFiles, validateRetryCount, validateUserIdentity } from "./validate-task-parts.js";

/** The longest a Job Release Task may run (REST `JobReleaseTask.maxWallClockTime`: "You may not specify a timeout longer than 15 minutes"). */
export const MAX_RELEASE_WALL_CLOCK_MS = 15 * 60_000;

function validateCommand(prefix: string, input: Record<string, unknown>): void {
  requireString(`${prefix}.commandLine`, input.commandLine);
  validateResourceFiles(`${prefix}.resourceFiles`, input.resourceFiles);
  validateEnvironmentSettings(`${prefix}.environmentSettings`, input.environmentSettings);
  validateUserIdentity(`${prefix}.userIdentity`, input.userIdentity);
}

function validateConstraints(prefix: string, value: unknown): void {
  const constraints = optionalObject(`${prefix}.constraints`, value);
  optionalDuration(`${prefix}.constraints.maxWallClockTime`, constraints?.maxWallClockTime);
  optionalDuration(`${prefix}.constraints.retentionTime`, constraints?.retentionTime);
  validateRetryCount(`${prefix}.constraints.maxTaskRetryCount`, constraints?.maxTaskRetryCount);
}

/**
 * The service's rules for a job's preparation, release and manager tasks (REST `JobAddParameter`
 * and the three task models): ids as task ids; a release task only with a preparation task ("A
 * Job Release Task cannot be specified without also specifying a Job Preparation Task for the
 * Job"; the docs name no error code, so it is the 400 InvalidPropertyValue of any invalid body);
 * its wall clock at most 15 minutes.
 */
export function validateJobTasks(job: JobAddParameter): void {
  const input = job as unknown as Record<string, unknown>;
  const preparation = optionalObject("jobPreparationTask", input.jobPreparationTask);
  if (preparation) {
    if (preparation.id !== undefined) validateId("jobPreparationTask.id", preparation.id);
    validateCommand("jobPreparationTask", preparation);
    validateConstraints("jobPreparationTask", preparation.constraints);
    optionalBoolean("jobPreparationTask.waitForSuccess", preparation.waitForSuccess);
    optionalBoolean("jobPreparationTask.rerunOnNodeRebootAfterSuccess", preparation.rerunOnNodeRebootAfterSuccess);
  }
  const release = optionalObject("jobReleaseTask", input.jobReleaseTask);
  if (release) {
    if (!preparation) {
      throw BatchErrors.invalidPropertyValue(
        "jobReleaseTask",
        "(given)",
        "A Job Release Task cannot be specified without also specifying a Job Preparation Task for the Job.",
      );
    }
    if (release.id !== undefined) validateId("jobReleaseTask.id", release.id);
    validateCommand("jobReleaseTask", release);
    optionalDuration("jobReleaseTask.retentionTime", release.retentionTime);
    if (
      typeof release.maxWallClockTime === "string" &&
      parseDuration("jobReleaseTask.maxWallClockTime", release.maxWallClockTime) > MAX_RELEASE_WALL_CLOCK_MS
    ) {
      throw BatchErrors.invalidPropertyValue(
        "jobReleaseTask.maxWallClockTime",
        release.maxWallClockTime,
        "The value must not be longer than 15 minutes (PT15M).",
      );
    }
  }
  const manager = optionalObject("jobManagerTask", input.jobManagerTask);
  if (manager) {
    validateId("jobManagerTask.id", manager.id);
    optionalString("jobManagerTask.displayName", manager.displayName);
    validateCommand("jobManagerTask", manager);
    validateOutputFiles("jobManagerTask.outputFiles", manager.outputFiles);
    validateConstraints("jobManagerTask", manager.constraints);
    optionalInteger("jobManagerTask.requiredSlots", manager.requiredSlots, 1, 256);
    for (const flag of ["killJobOnCompletion", "runExclusive", "allowLowPriorityNode"]) optionalBoolean(`jobManagerTask.${flag}`, manager[flag]);
  }
}
