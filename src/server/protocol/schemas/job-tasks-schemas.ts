import type { JobManagerTask, JobPreparationTask, JobReleaseTask } from "../../../core/models/index.js";
import { arrayOf, object, optional, required, unsupported, type Parser } from "../body-schema.js";
import { boolean, duration, integer, string } from "../body-values.js";
import { applicationPackageReferences, environmentSettings, resourceFiles, taskContainerSettings, userIdentity } from "./common-schemas.js";
import { outputFile, constraints as taskConstraints } from "./task-add-schema.js";

/**
 * A job's preparation, release and manager tasks (SPEC models.tsp `BatchJobPreparationTask`,
 * `BatchJobReleaseTask`, `BatchJobManagerTask`), as `POST /jobs` carries them.
 */

export const jobPreparationTask: Parser<JobPreparationTask> = object("JobPreparationTask", {
  id: optional(string),
  commandLine: required(string),
  containerSettings: optional(taskContainerSettings),
  resourceFiles: optional(resourceFiles),
  environmentSettings: optional(environmentSettings),
  constraints: optional(taskConstraints),
  waitForSuccess: optional(boolean),
  userIdentity: optional(userIdentity),
  rerunOnNodeRebootAfterSuccess: optional(boolean),
});

export const jobReleaseTask: Parser<JobReleaseTask> = object("JobReleaseTask", {
  id: optional(string),
  commandLine: required(string),
  containerSettings: optional(taskContainerSettings),
  resourceFiles: optional(resourceFiles),
  environmentSettings: optional(environmentSettings),
  maxWallClockTime: optional(duration),
  retentionTime: optional(duration),
  userIdentity: optional(userIdentity),
});

export const jobManagerTask: Parser<JobManagerTask> = object("JobManagerTask", {
  id: required(string),
  displayName: optional(string),
  commandLine: required(string),
  containerSettings: optional(taskContainerSettings),
  resourceFiles: optional(resourceFiles),
  outputFiles: optional(arrayOf(outputFile)),
  environmentSettings: optional(environmentSettings),
  constraints: optional(taskConstraints),
  requiredSlots: optional(integer()),
  killJobOnCompletion: optional(boolean),
  userIdentity: optional(userIdentity),
  runExclusive: optional(boolean),
  allowLowPriorityNode: optional(boolean),
  applicationPackageReferences: optional(applicationPackageReferences),
  authenticationTokenSettings: unsupported(),
});
