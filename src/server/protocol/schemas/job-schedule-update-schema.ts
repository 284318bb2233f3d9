import type { JobSchedulePatchParameter, JobScheduleUpdateParameter } from "../../../core/models/index.js";
import { object, optional, required, type Parser } from "../body-schema.js";
import { metadata } from "./common-schemas.js";
import { jobSpecification, schedule } from "./job-schedule-add-schema.js";

/** `PATCH /jobschedules/{id}` (Swagger `JobSchedulePatchParameter`): every property optional. */
export const parseJobSchedulePatch: Parser<JobSchedulePatchParameter> = object("JobSchedulePatchParameter", {
  schedule: optional(schedule),
  jobSpecification: optional(jobSpecification),
  metadata: optional(metadata),
});

/**
 * `PUT /jobschedules/{id}` (Swagger `JobScheduleUpdateParameter`): `jobSpecification` required; an
 * omitted `schedule` "is equivalent to passing the default schedule" (its documentation), so it
 * may be left out although the Swagger lists it as required.
 */
export const parseJobScheduleUpdate: Parser<JobScheduleUpdateParameter> = object("JobScheduleUpdateParameter", {
  schedule: optional(schedule),
  jobSpecification: required(jobSpecification),
  metadata: optional(metadata),
});
