/** The job schedule's state module (transition table, versioning) and the timeline of its due times. */
import { describe, expect, it } from "vitest";
import type { JobScheduleState } from "../../../src/core/models/index.js";
import { BatchState } from "../../../src/backends/local/state/batch-state.js";
import type { Clock } from "../../../src/backends/local/state/clock.js";
import { EntityStates } from "../../../src/backends/local/state/entity-states.js";
import { JOB_SCHEDULE_TRANSITIONS } from "../../../src/backends/local/state/job-schedule-state.js";
import type { JobScheduleRecord } from "../../../src/backends/local/state/records.js";
import { IllegalTransitionError } from "../../../src/backends/local/state/transitions.js";
import { nextRun, timelineOf, type Timeline } from "../../../src/backends/local/services/schedule-timeline.js";

const START = Date.parse("2026-01-01T00:00:00Z");
const MINUTE = 60_000;
const iso = new Date(START).toISOString();

function setup() {
  let now = START;
  const clock: Clock & { advance(ms: number): void } = { now: () => now, setTimer: () => ({ cancel: () => undefined }), advance: (ms) => (now += ms) };
  const store = new BatchState();
  const changed: unknown[] = [];
  store.changed = (record) => void changed.push(record);
  return { clock, changed, states: new EntityStates({ store, clock }) };
}

function scheduleRecord(state: JobScheduleState): JobScheduleRecord {
  const jobSchedule = { id: "s", eTag: "0x0", lastModified: iso, creationTime: iso, state, stateTransitionTime: iso, schedule: {}, executionInfo: {} };
  return { jobSchedule: { ...jobSchedule, jobSpecification: { poolInfo: { poolId: "p" } } }, jobCount: 0, scheduleSetTime: iso };
}

describe("the job schedule state machine", () => {
  const states = Object.keys(JOB_SCHEDULE_TRANSITIONS) as JobScheduleState[];
  const pairs = states.flatMap((from) => states.map((to) => [from, to, JOB_SCHEDULE_TRANSITIONS[from].includes(to)] as const));

  it.each(pairs)("%s -> %s allowed: %s", (from, to, allowed) => {
    const { states: entityStates } = setup();
    const record = scheduleRecord(from);
    if (allowed) {
      entityStates.jobSchedule.transition(record, to);
      expect(record.jobSchedule).toMatchObject({ state: to, previousState: from });
    } else {
      expect(() => entityStates.jobSchedule.transition(record, to)).toThrow(IllegalTransitionError);
      expect(record.jobSchedule.state).toBe(from);
    }
  });

  it("only deleting ends everything; completed leads nowhere else", () => {
    expect(JOB_SCHEDULE_TRANSITIONS.deleting).toEqual([]);
    expect(JOB_SCHEDULE_TRANSITIONS.completed).toEqual(["deleting"]);
  });

  it("a user's change gets a new ETag and lastModified; the schedule's run (executionInfo, counters) does not, but is journaled", () => {
    const { clock, changed, states: entityStates } = setup();
    const record = scheduleRecord("active");
    clock.advance(1000);
    entityStates.jobSchedule.progress(record, { recentJob: { id: "s:job-1" } }, { jobCount: 1 });
    expect(record.jobSchedule.eTag).toBe("0x0");
    expect(record).toMatchObject({ jobCount: 1, jobSchedule: { executionInfo: { recentJob: { id: "s:job-1" } } } });
    entityStates.jobSchedule.update(record, { metadata: [] });
    expect(record.jobSchedule.eTag).not.toBe("0x0");
    expect(record.jobSchedule.lastModified).toBe(new Date(START + 1000).toISOString());
    expect(changed).toEqual([record, record]);
  });
});

describe("the timeline of a schedule's due times", () => {
  const t = (minutes: number) => START + minutes * MINUTE;
  const recurring: Timeline = { firstDueMs: t(0), intervalMs: 10 * MINUTE };

  it("a one-off schedule: one job at its due time, none after", () => {
    const once = timelineOf({ doNotRunUntil: new Date(t(5)).toISOString() }, iso);
    expect(nextRun(once, t(0), undefined)).toEqual({ kind: "wait", dueMs: t(5) });
    expect(nextRun(once, t(6), undefined)).toEqual({ kind: "create", dueMs: t(5) });
    expect(nextRun(once, t(6), t(5))).toEqual({ kind: "finished" });
  });

  it("recurrences: the due one, then the next; a recurrence already run is not run twice", () => {
    expect(nextRun(recurring, t(0), undefined)).toEqual({ kind: "create", dueMs: t(0) });
    expect(nextRun(recurring, t(3), t(0))).toEqual({ kind: "wait", dueMs: t(10) });
    expect(nextRun(recurring, t(14), t(0))).toEqual({ kind: "create", dueMs: t(10) });
    expect(nextRun(recurring, t(44), t(10))).toEqual({ kind: "create", dueMs: t(40) });
  });

  it("a closed start window skips to the next recurrence; a window longer than the interval ends at the next due time", () => {
    const windowed = { ...recurring, windowMs: 2 * MINUTE };
    expect(nextRun(windowed, t(11), t(0))).toEqual({ kind: "create", dueMs: t(10) });
    expect(nextRun(windowed, t(12), t(0))).toEqual({ kind: "wait", dueMs: t(20) });
    expect(nextRun({ ...recurring, windowMs: 60 * MINUTE }, t(19), t(0))).toEqual({ kind: "create", dueMs: t(10) });
    expect(nextRun(timelineOf({ startWindow: "PT1M" }, iso), t(2), undefined)).toEqual({ kind: "finished" });
  });

  it("nothing after doNotRunAfter", () => {
    const bounded = { ...recurring, notAfterMs: t(15) };
    expect(nextRun(bounded, t(12), t(0))).toEqual({ kind: "create", dueMs: t(10) });
    expect(nextRun(bounded, t(12), t(10))).toEqual({ kind: "finished" });
    expect(nextRun(bounded, t(16), t(0))).toEqual({ kind: "finished" });
  });
});
