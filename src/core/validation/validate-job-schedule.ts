import { BatchErrors } from "../batch-errors.js";
import type { JobScheduleAddParameter, JobSpecification, Schedule } from "../models/index.js";
import { optionalArray, optionalObject, optionalString } from "./checks.js";
import { parseDuration } from "./durations.js";
import { validateId } from "./ids.js";
import { validateJobAdd } from "./validate-add.js";
import { checkNested } from "./nested-property.js";

/**
 * `startWindow` and `recurrenceInterval`: "The minimum value is 1 minute. If you specify a lower
 * value, the Batch service rejects the schedule with an error ... 400 (Bad Request)" (REST
 * `Schedule`).
 */
const MIN_SCHEDULE_INTERVAL_MS = 60_000;

function validateInterval(name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "string") throw BatchErrors.invalidPropertyValue(name, value, "The value must be an ISO 8601 duration.");
  if (parseDuration(name, value) < MIN_SCHEDULE_INTERVAL_MS) {
    throw BatchErrors.invalidPropertyValue(name, value, "The value must be at least 1 minute.");
  }
}

function validateDateTime(name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "string" || Number.isNaN(Date.parse(value))) {
    throw BatchErrors.invalidPropertyValue(name, value, "The value must be an ISO 8601 date-time.");
  }
}

/** The service's rules for a schedule: date-times, and intervals of at least a minute. */
export function validateSchedule(schedule: Schedule | undefined): void {
  const input = optionalObject("schedule", schedule);
  if (!input) return;
  validateDateTime("schedule.doNotRunUntil", input.doNotRunUntil);
  validateDateTime("schedule.doNotRunAfter", input.doNotRunAfter);
  validateInterval("schedule.startWindow", input.startWindow);
  validateInterval("schedule.recurrenceInterval", input.recurrenceInterval);
}

/** Stands in for the id a job specification lacks, so that it is checked by the job add rules. */
const SPECIFICATION_ID = "jobSpecification";

/** A job specification is a job's add properties without the id: checked as the jobs the schedule will create. */
export function validateJobSpecification(specification: JobSpecification | undefined): void {
  if (!optionalObject("jobSpecification", specification)) throw BatchErrors.missingProperty("jobSpecification");
  checkNested("jobSpecification", () => validateJobAdd({ ...(specification as JobSpecification), id: SPECIFICATION_ID }, "jobSchedule"));
}

/** The service's rules for a new job schedule. */
export function validateJobScheduleAdd(jobSchedule: JobScheduleAddParameter): void {
  const input = jobSchedule as unknown as Record<string, unknown>;
  validateId("id", input.id);
  optionalString("displayName", input.displayName);
  if (!optionalObject("schedule", input.schedule)) throw BatchErrors.missingProperty("schedule");
  validateSchedule(jobSchedule.schedule);
  validateJobSpecification(jobSchedule.jobSpecification);
  optionalArray("metadata", input.metadata);
}
