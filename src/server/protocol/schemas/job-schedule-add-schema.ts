import type { JobScheduleAddParameter, JobSpecification, Schedule } from "../../../core/models/index.js";
import { object, optional, required, type Parser } from "../body-schema.js";
import { dateTime, duration, string } from "../body-values.js";
import { metadata } from "./common-schemas.js";
import { jobProperties } from "./job-add-schema.js";

/** `POST /jobschedules` (SPEC models.tsp `BatchJobScheduleCreateOptions`; Swagger `JobScheduleAddParameter`). */

export const schedule: Parser<Schedule> = object("Schedule", {
  doNotRunUntil: optional(dateTime),
  doNotRunAfter: optional(dateTime),
  startWindow: optional(duration),
  recurrenceInterval: optional(duration),
});

/** The jobs a schedule creates: a job's add properties without the id, parsed by the job's own parsers. */
export const jobSpecification: Parser<JobSpecification> = object("JobSpecification", jobProperties);

export const parseJobScheduleAdd: Parser<JobScheduleAddParameter> = object("JobScheduleAddParameter", {
  id: required(string),
  displayName: optional(string),
  schedule: required(schedule),
  jobSpecification: required(jobSpecification),
  metadata: optional(metadata),
});
