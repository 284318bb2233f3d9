import type { Schedule } from "../../../core/models/index.js";
import { optionalDurationMs } from "../../../core/validation/durations.js";

/**
 * When a job schedule's jobs fall due, from the REST `Schedule` documentation:
 * - jobs fall due at `doNotRunUntil` (or at once) and then every `recurrenceInterval`; without an
 *   interval "one Job is created, within the startWindow after the doNotRunUntil time";
 * - a job may be created from its due time until `startWindow` has passed ("If a Job is not
 *   created within the startWindow interval, then the 'opportunity' is lost; no Job will be
 *   created until the next recurrence"); a window longer than the interval ends at the next due
 *   time ("the Job that is 'due' in one recurrenceInterval is not carried forward");
 * - no job is created after `doNotRunAfter`.
 * Without `doNotRunUntil`, due times count from when the schedule was given (its creation, or the
 * patch or update that set it): the documentation of `JobScheduleUpdateParameter` says an omitted
 * schedule is "a single Job scheduled to run immediately".
 */
export interface Timeline {
  firstDueMs: number;
  intervalMs?: number;
  windowMs?: number;
  notAfterMs?: number;
}

export function timelineOf(schedule: Schedule, scheduleSetTime: string): Timeline {
  return {
    firstDueMs: Date.parse(schedule.doNotRunUntil ?? scheduleSetTime),
    intervalMs: optionalDurationMs("schedule.recurrenceInterval", schedule.recurrenceInterval),
    windowMs: optionalDurationMs("schedule.startWindow", schedule.startWindow),
    notAfterMs: schedule.doNotRunAfter === undefined ? undefined : Date.parse(schedule.doNotRunAfter),
  };
}

/** What the schedule does next: create a job for the recurrence due at `dueMs`, wait for it, or nothing more. */
export type NextRun = { kind: "create"; dueMs: number } | { kind: "wait"; dueMs: number } | { kind: "finished" };

function dueAt(timeline: Timeline, index: number): number {
  return timeline.firstDueMs + index * (timeline.intervalMs ?? 0);
}

/** The end of recurrence `index`'s start window (exclusive). */
function windowEnd(timeline: Timeline, index: number): number {
  const end = dueAt(timeline, index) + (timeline.windowMs ?? Infinity);
  return timeline.intervalMs === undefined ? end : Math.min(end, dueAt(timeline, index + 1));
}

/**
 * The next recurrence at `nowMs`, given the due time of the one the last job was created for:
 * each recurrence gets at most one job, and recurrences whose window closed are skipped.
 */
export function nextRun(timeline: Timeline, nowMs: number, lastDueMs: number | undefined): NextRun {
  const { intervalMs, notAfterMs } = timeline;
  let index = 0;
  if (lastDueMs !== undefined && lastDueMs >= timeline.firstDueMs) {
    if (intervalMs === undefined) return { kind: "finished" };
    index = Math.floor((lastDueMs - timeline.firstDueMs) / intervalMs) + 1;
  }
  if (intervalMs !== undefined && nowMs > dueAt(timeline, index)) {
    index = Math.max(index, Math.floor((nowMs - timeline.firstDueMs) / intervalMs));
  }
  if (dueAt(timeline, index) <= nowMs && nowMs >= windowEnd(timeline, index)) {
    if (intervalMs === undefined) return { kind: "finished" };
    index++;
  }
  const dueMs = dueAt(timeline, index);
  const deadline = Math.max(dueMs, nowMs);
  if (notAfterMs !== undefined && deadline > notAfterMs) return { kind: "finished" };
  return dueMs <= nowMs ? { kind: "create", dueMs } : { kind: "wait", dueMs };
}
