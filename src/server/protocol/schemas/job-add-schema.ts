import type { AutoPoolSpecification, JobAddParameter, JobConstraints, PoolInformation } from "../../../core/models/index.js";
import { object, optional, required, unsupported, type Parser, type Shape } from "../body-schema.js";
import { boolean, duration, enumOf, integer, string } from "../body-values.js";
import { environmentSettings, metadata } from "./common-schemas.js";
import { jobManagerTask, jobPreparationTask, jobReleaseTask } from "./job-tasks-schemas.js";
import { poolProperties } from "./pool-add-schema.js";

/** `POST /jobs` (SPEC models.tsp `BatchJobCreateOptions`). */

/** The auto pool's `pool` is read by the pool add's own parsers, so it is refused where a pool add is (by its full path). */
const autoPoolSpecification: Parser<AutoPoolSpecification> = object("AutoPoolSpecification", {
  autoPoolIdPrefix: optional(string),
  poolLifetimeOption: required(enumOf(["job", "jobschedule"])),
  keepAlive: optional(boolean),
  pool: required(object("PoolSpecification", poolProperties)),
});

export const poolInfo: Parser<PoolInformation> = object("PoolInformation", {
  poolId: optional(string),
  autoPoolSpecification: optional(autoPoolSpecification),
});

export const constraints: Parser<JobConstraints> = object("JobConstraints", {
  maxWallClockTime: optional(duration),
  maxTaskRetryCount: optional(integer()),
});

/** A job's add properties but its id: also a job schedule's `jobSpecification` (SPEC `BatchJobSpecification`). */
export const jobProperties = {
  displayName: optional(string),
  priority: optional(integer()),
  maxParallelTasks: optional(integer()),
  allowTaskPreemption: optional(boolean),
  constraints: optional(constraints),
  commonEnvironmentSettings: optional(environmentSettings),
  poolInfo: required(poolInfo),
  onAllTasksComplete: optional(enumOf(["noaction", "terminatejob"])),
  onTaskFailure: optional(enumOf(["noaction", "performexitoptionsjobaction"])),
  metadata: optional(metadata),
  usesTaskDependencies: optional(boolean),
  jobManagerTask: optional(jobManagerTask),
  jobPreparationTask: optional(jobPreparationTask),
  jobReleaseTask: optional(jobReleaseTask),
  networkConfiguration: unsupported(),
} satisfies Shape;

export const parseJobAdd: Parser<JobAddParameter> = object("JobAddParameter", { id: required(string), ...jobProperties });
