/**
 * When job schedules create their jobs, through @azure/batch 10.2.0 against the in-process server
 * on a fake clock: recurrence, one active job at a time, start windows, doNotRunUntil/After,
 * disable and enable.
 */
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FAKE_CLOCK_START } from "../../support/fake-clock.js";
import { TestBed } from "../../support/test-bed.js";

const MINUTE = 60_000;
const at = (minutes: number) => new Date(FAKE_CLOCK_START + minutes * MINUTE).toISOString();

let bed: TestBed;
let client: BatchServiceClient;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
});

afterEach(async () => {
  await bed.close();
});

/** Moves the fake clock to `minutes` after its start. */
async function advanceTo(minutes: number): Promise<void> {
  await bed.clock.advance(FAKE_CLOCK_START + minutes * MINUTE - bed.clock.now());
}

async function jobIds(scheduleId: string): Promise<string[]> {
  return (await client.job.listFromJobSchedule(scheduleId)).map((job) => job.id ?? "");
}

async function info(scheduleId: string) {
  const schedule = await client.jobSchedule.get(scheduleId);
  return { state: schedule.state, nextRunTime: schedule.executionInfo?.nextRunTime?.toISOString(), recentJob: schedule.executionInfo?.recentJob?.id };
}

const jobSpecification = { poolInfo: { poolId: "p" } };

describe("a recurring job schedule", () => {
  it("creates {id}:job-1 at once, the next job when it falls due, and never two active jobs", async () => {
    await client.jobSchedule.add({ id: "s", schedule: { recurrenceInterval: "PT10M" }, jobSpecification });
    expect(await jobIds("s")).toEqual(["s:job-1"]);
    expect(await info("s")).toEqual({ state: "active", nextRunTime: at(10), recentJob: "s:job-1" });
    const recent = (await client.jobSchedule.get("s")).executionInfo?.recentJob;
    expect(recent?.url).toMatch(/\/jobs\/s%3Ajob-1$/);

    // Due at 10 minutes, but job-1 is still active: job-2 waits for it.
    await advanceTo(10);
    expect(await jobIds("s")).toEqual(["s:job-1"]);
    await advanceTo(12);
    await client.job.terminate("s:job-1");
    await bed.waitFor(async () => (await jobIds("s")).length === 2, "job-2 once job-1 completed");
    expect(await info("s")).toEqual({ state: "active", nextRunTime: at(20), recentJob: "s:job-2" });
    expect((await client.job.get("s:job-2")).creationTime?.toISOString()).toBe(at(12));

    await advanceTo(20);
    await client.job.terminate("s:job-2");
    await bed.waitFor(async () => (await jobIds("s")).length === 3, "job-3 at once: it fell due at 20 minutes");
    await advanceTo(30);
    expect(await jobIds("s")).toEqual(["s:job-1", "s:job-2", "s:job-3"]);
  });

  it("jobs are created from the job specification, through the job add path", async () => {
    await client.jobSchedule.add({
      id: "spec",
      schedule: {},
      jobSpecification: {
        ...jobSpecification,
        priority: 5,
        displayName: "nightly",
        metadata: [{ name: "k", value: "v" }],
        constraints: { maxTaskRetryCount: 2 },
      },
    });
    const job = await client.job.get("spec:job-1");
    expect(job).toMatchObject({ state: "active", priority: 5, displayName: "nightly", metadata: [{ name: "k", value: "v" }], poolInfo: { poolId: "p" } });
    expect(job.constraints?.maxTaskRetryCount).toBe(2);
  });

  it("a missed start window loses that recurrence: the next job waits for the next due time", async () => {
    await client.jobSchedule.add({ id: "w", schedule: { recurrenceInterval: "PT10M", startWindow: "PT2M" }, jobSpecification });
    await advanceTo(13);
    await client.job.terminate("w:job-1");
    await advanceTo(14);
    expect(await jobIds("w")).toEqual(["w:job-1"]);
    expect(await info("w")).toMatchObject({ nextRunTime: at(20) });
    await advanceTo(20);
    expect(await jobIds("w")).toEqual(["w:job-1", "w:job-2"]);
  });
});

describe("doNotRunUntil and doNotRunAfter", () => {
  it("a one-off schedule waits for doNotRunUntil, then completes when its job does", async () => {
    await client.jobSchedule.add({ id: "once", schedule: { doNotRunUntil: new Date(at(5)) }, jobSpecification });
    expect(await jobIds("once")).toEqual([]);
    expect(await info("once")).toEqual({ state: "active", nextRunTime: at(5), recentJob: undefined });
    await advanceTo(5);
    expect(await jobIds("once")).toEqual(["once:job-1"]);
    expect((await info("once")).nextRunTime).toBeUndefined();
    await advanceTo(7);
    await client.job.terminate("once:job-1");
    await bed.waitFor(async () => (await client.jobSchedule.get("once")).state === "completed", "the schedule to complete");
    const schedule = await client.jobSchedule.get("once");
    expect(schedule.executionInfo?.endTime?.toISOString()).toBe(at(7));
    expect(schedule.previousState).toBe("active");
  });

  it("no job after doNotRunAfter: the schedule completes once it is past and no job is active", async () => {
    await client.jobSchedule.add({ id: "until", schedule: { recurrenceInterval: "PT10M", doNotRunAfter: new Date(at(15)) }, jobSpecification });
    await client.job.terminate("until:job-1");
    await advanceTo(10);
    expect(await jobIds("until")).toEqual(["until:job-1", "until:job-2"]);
    await client.job.terminate("until:job-2");
    await advanceTo(14);
    expect((await info("until")).state).toBe("active");
    await advanceTo(15);
    expect(await info("until")).toEqual({ state: "completed", nextRunTime: undefined, recentJob: "until:job-2" });
    await advanceTo(30);
    expect(await jobIds("until")).toEqual(["until:job-1", "until:job-2"]);
  });

  it("a doNotRunAfter already past creates no job at all", async () => {
    await advanceTo(60);
    await client.jobSchedule.add({ id: "late", schedule: { doNotRunAfter: new Date(at(30)) }, jobSpecification });
    expect(await jobIds("late")).toEqual([]);
    expect((await info("late")).state).toBe("completed");
  });
});

describe("disable and enable", () => {
  it("a disabled schedule creates no job; enabled again, the job due meanwhile is created at once", async () => {
    await client.jobSchedule.add({ id: "d", schedule: { recurrenceInterval: "PT10M" }, jobSpecification });
    await client.job.terminate("d:job-1");
    const disabled = await client.jobSchedule.disable("d");
    expect(disabled._response.status).toBe(204);
    expect((await info("d")).state).toBe("disabled");
    await advanceTo(25);
    expect(await jobIds("d")).toEqual(["d:job-1"]);
    expect((await client.jobSchedule.enable("d"))._response.status).toBe(204);
    expect(await jobIds("d")).toEqual(["d:job-1", "d:job-2"]);
    expect(await info("d")).toEqual({ state: "active", nextRunTime: at(30), recentJob: "d:job-2" });
  });

  it("a job already running goes on while its schedule is disabled", async () => {
    await client.jobSchedule.add({ id: "r", schedule: { recurrenceInterval: "PT10M" }, jobSpecification });
    await client.jobSchedule.disable("r");
    expect((await client.job.get("r:job-1")).state).toBe("active");
    await client.job.terminate("r:job-1");
    await advanceTo(20);
    expect(await jobIds("r")).toEqual(["r:job-1"]);
  });
});
