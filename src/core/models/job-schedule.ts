import type { JobScheduleStatistics } from "./statistics.js";
import type { MetadataItem } from "./common.js";
import type { JobAddParameter } from "./job.js";

/**
 * When a job schedule creates jobs (REST `Schedule`). All four are optional: without any, one job
 * is created at once and the schedule completes when that job does.
 */
export interface Schedule {
  /** The earliest time a job may be created (ISO 8601 date-time); without it, at once. */
  doNotRunUntil?: string;
  /** No job is created after this time; the schedule completes once it is past and no job is active. */
  doNotRunAfter?: string;
  /** How long after a job falls due it may still be created (ISO 8601 duration, at least 1 minute); default infinite. */
  startWindow?: string;
  /** The time between the due times of successive jobs (ISO 8601 duration, at least 1 minute); without it, one job. */
  recurrenceInterval?: string;
}

/**
 * What each job of a schedule is created from (REST `JobSpecification`): a job's add properties
 * without its id, which the schedule gives (`{scheduleId}:job-{n}`).
 */
export type JobSpecification = Omit<JobAddParameter, "id">;

/** `POST /jobschedules` (REST `JobScheduleAddParameter`). */
export interface JobScheduleAddParameter {
  id: string;
  displayName?: string;
  schedule: Schedule;
  jobSpecification: JobSpecification;
  metadata?: MetadataItem[];
}

/** `PATCH /jobschedules/{id}` (REST `JobSchedulePatchParameter`): only what is given changes. */
export interface JobSchedulePatchParameter {
  schedule?: Schedule;
  jobSpecification?: JobSpecification;
  metadata?: MetadataItem[];
}

/**
 * `PUT /jobschedules/{id}` (REST `JobScheduleUpdateParameter`): replaces the updatable properties;
 * an omitted schedule is the default one (a single job, at once), omitted metadata is none.
 */
export interface JobScheduleUpdateParameter {
  schedule?: Schedule;
  jobSpecification: JobSpecification;
  metadata?: MetadataItem[];
}

export type JobScheduleState = "active" | "completed" | "disabled" | "terminating" | "deleting";

/** The most recent job created under a schedule. */
export interface RecentJob {
  id: string;
  url?: string;
}

/** REST `JobScheduleExecutionInformation`. */
export interface JobScheduleExecutionInformation {
  /** When the next job falls due; absent when no further job will be created. */
  nextRunTime?: string;
  recentJob?: RecentJob;
  /** Set once the schedule is completed. */
  endTime?: string;
}

/** A job schedule as the service reports it (`GET /jobschedules/{id}`). */
export interface CloudJobSchedule extends JobScheduleAddParameter {
  url?: string;
  /** Only with `$expand=stats`. */
  stats?: JobScheduleStatistics;
  eTag: string;
  lastModified: string;
  creationTime: string;
  state: JobScheduleState;
  stateTransitionTime: string;
  previousState?: JobScheduleState;
  previousStateTransitionTime?: string;
  executionInfo: JobScheduleExecutionInformation;
}
