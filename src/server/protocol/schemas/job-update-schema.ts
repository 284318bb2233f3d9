import type { JobPatchParameter, JobUpdateParameter } from "../../../core/models/index.js";
import { object, optional, required, type Parser } from "../body-schema.js";
import { boolean, enumOf, integer } from "../body-values.js";
import { metadata } from "./common-schemas.js";
import { constraints, poolInfo } from "./job-add-schema.js";

/** `PATCH /jobs/{jobId}` (SPEC models.tsp `BatchJobUpdateOptions`; Swagger `JobPatchParameter`): every property optional. */
export const parseJobPatch: Parser<JobPatchParameter> = object("JobPatchParameter", {
  priority: optional(integer()),
  maxParallelTasks: optional(integer()),
  allowTaskPreemption: optional(boolean),
  onAllTasksComplete: optional(enumOf(["noaction", "terminatejob"])),
  constraints: optional(constraints),
  poolInfo: optional(poolInfo),
  metadata: optional(metadata),
});

/** `PUT /jobs/{jobId}` (SPEC routes.tsp `replaceJob`, whose body is a `BatchJob`; Swagger `JobUpdateParameter`): `poolInfo` required. */
export const parseJobUpdate: Parser<JobUpdateParameter> = object("JobUpdateParameter", {
  priority: optional(integer()),
  maxParallelTasks: optional(integer()),
  allowTaskPreemption: optional(boolean),
  onAllTasksComplete: optional(enumOf(["noaction", "terminatejob"])),
  constraints: optional(constraints),
  poolInfo: required(poolInfo),
  metadata: optional(metadata),
});
