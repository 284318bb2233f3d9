/**
 * The job schedule operations through @azure/batch 10.2.0 (and signed requests where the SDK
 * cannot send what is tested) against the in-process server: add, get, exists, list, patch,
 * update, terminate, delete, the jobs of a schedule, conditions and the service's errors.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   signed requests' bodies are untyped JSON here, read as the wire carries them. */
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signedFetcher, type BatchFetch } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";
import { restErrorOf } from "../../support/rejection-of.js";

let bed: TestBed;
let client: BatchServiceClient;
let batch: BatchFetch;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  batch = signedFetcher(bed.account);
});

afterEach(async () => {
  await bed.close();
});

const jobSpecification = { poolInfo: { poolId: "p" } };
const hourly = { recurrenceInterval: "PT1H" };

describe("adding, reading and listing job schedules", () => {
  it("add answers 201 with the schedule's location; get, exists and list show it", async () => {
    const added = await client.jobSchedule.add({ id: "s1", displayName: "nightly", schedule: hourly, jobSpecification, metadata: [{ name: "k", value: "v" }] });
    expect(added._response.status).toBe(201);
    expect(added._response.headers.get("location")).toMatch(/\/jobschedules\/s1$/);
    const schedule = await client.jobSchedule.get("S1");
    expect(schedule).toMatchObject({ id: "s1", displayName: "nightly", state: "active", schedule: hourly, metadata: [{ name: "k", value: "v" }] });
    expect(schedule.jobSpecification?.poolInfo).toEqual({ poolId: "p" });
    expect(schedule.eTag).toBe(added.eTag);
    expect((await client.jobSchedule.exists("s1")).body).toBe(true);
    expect((await client.jobSchedule.exists("nope")).body).toBe(false);
    await client.jobSchedule.add({ id: "s2", schedule: hourly, jobSpecification });
    expect((await client.jobSchedule.list()).map((s) => s.id)).toEqual(["s1", "s2"]);
  });

  it("list takes $filter, $select and maxresults as the other lists do", async () => {
    for (const id of ["a", "b", "c"]) await client.jobSchedule.add({ id, schedule: hourly, jobSpecification });
    await client.jobSchedule.disable("b");
    const active = await client.jobSchedule.list({ jobScheduleListOptions: { filter: "state eq 'active'", select: "id,state" } });
    expect(active.map((s) => ({ ...s }))).toEqual([
      { id: "a", state: "active" },
      { id: "c", state: "active" },
    ]);
    const page = await client.jobSchedule.list({ jobScheduleListOptions: { maxResults: 2 } });
    expect(page).toHaveLength(2);
    expect(page.odatanextLink).toBeDefined();
    expect((await client.jobSchedule.listNext(page.odatanextLink as string)).map((s) => s.id)).toEqual(["c"]);
    const badFilter = await batch("/jobschedules", { query: { $filter: "poolId eq 'p'" } });
    expect(badFilter.status).toBe(400);
  });

  it("the jobs of a schedule are listed by Job_ListFromJobSchedule, not those of other schedules", async () => {
    await client.jobSchedule.add({ id: "x", schedule: hourly, jobSpecification });
    await client.jobSchedule.add({ id: "x2", schedule: hourly, jobSpecification });
    await client.job.add({ id: "plain", poolInfo: { poolId: "p" } });
    expect((await client.job.listFromJobSchedule("x")).map((job) => job.id)).toEqual(["x:job-1"]);
    const byRecentJob = await client.jobSchedule.list({ jobScheduleListOptions: { filter: "executionInfo/recentJob/id eq 'x2:job-1'" } });
    expect(byRecentJob.map((s) => s.id)).toEqual(["x2"]);
    const selected = await batch("/jobschedules/x/jobs", { query: { $select: "id,state" } });
    expect(selected.json.value).toEqual([{ id: "x:job-1", state: "active" }]);
    expect((await restErrorOf(client.job.listFromJobSchedule("none"))).code).toBe("JobScheduleNotFound");
  });
});

describe("refused requests", () => {
  it("a taken id is 409 JobScheduleExists; a missing schedule 404 JobScheduleNotFound", async () => {
    await client.jobSchedule.add({ id: "dup", schedule: hourly, jobSpecification });
    expect(await restErrorOf(client.jobSchedule.add({ id: "DUP", schedule: hourly, jobSpecification }))).toMatchObject({
      statusCode: 409,
      code: "JobScheduleExists",
    });
    for (const call of [
      client.jobSchedule.get("none"),
      client.jobSchedule.deleteMethod("none"),
      client.jobSchedule.terminate("none"),
      client.jobSchedule.patch("none", {}),
    ]) {
      expect(await restErrorOf(call)).toMatchObject({ statusCode: 404, code: "JobScheduleNotFound" });
    }
  });

  it("intervals under a minute, malformed durations and dates, bad ids and missing parts are 400s", async () => {
    const add = (body: object) => batch("/jobschedules", { method: "POST", json: { id: "bad", jobSpecification, schedule: {}, ...body } });
    const cases: [object, string][] = [
      [{ schedule: { recurrenceInterval: "PT30S" } }, "InvalidPropertyValue"],
      [{ schedule: { startWindow: "PT59S" } }, "InvalidPropertyValue"],
      [{ schedule: { recurrenceInterval: "every hour" } }, "InvalidPropertyValue"],
      [{ schedule: { doNotRunUntil: "tomorrow" } }, "InvalidPropertyValue"],
      [{ id: "a:b" }, "InvalidPropertyValue"],
      [{ jobSpecification: undefined }, "MissingRequiredProperty"],
      [{ jobSpecification: {} }, "MissingRequiredProperty"],
      [{ jobSpecification: { ...jobSpecification, id: "j" } }, "InvalidRequestBody"],
      [{ jobSpecification: { ...jobSpecification, priority: 5000 } }, "InvalidPropertyValue"],
      [{ schedule: { bogus: 1 } }, "InvalidRequestBody"],
    ];
    for (const [body, code] of cases) {
      const response = await add(body);
      expect([response.status, response.json.code], JSON.stringify(body)).toEqual([400, code]);
    }
    expect((await client.jobSchedule.list()).length).toBe(0);
    const patch = await batch("/jobschedules/none", { method: "PATCH", json: { schedule: { recurrenceInterval: "PT1S" } } });
    expect([patch.status, patch.json.code]).toEqual([400, "InvalidPropertyValue"]);
  });

  it("conditional headers: a stale If-Match is 412, a current If-None-Match on get 304", async () => {
    const added = await client.jobSchedule.add({ id: "c", schedule: hourly, jobSpecification });
    expect(await restErrorOf(client.jobSchedule.patch("c", { metadata: [] }, { jobSchedulePatchOptions: { ifMatch: "0x1" } }))).toMatchObject({
      statusCode: 412,
      code: "ConditionNotMet",
    });
    const notModified = await batch("/jobschedules/c", { headers: { "If-None-Match": added.eTag } });
    expect(notModified.status).toBe(304);
    await client.jobSchedule.disable("c", { jobScheduleDisableOptions: { ifMatch: added.eTag } });
    expect((await client.jobSchedule.get("c")).eTag).not.toBe(added.eTag);
  });
});

describe("patch and update (PATCH and PUT /jobschedules/{id})", () => {
  it("PATCH changes what it is given; later jobs follow the new specification, the active one does not", async () => {
    await client.jobSchedule.add({ id: "p1", schedule: hourly, jobSpecification, metadata: [{ name: "k", value: "v" }] });
    const answer = await client.jobSchedule.patch("p1", { jobSpecification: { ...jobSpecification, priority: 9 } });
    expect(answer._response.status).toBe(200);
    const schedule = await client.jobSchedule.get("p1");
    expect(schedule).toMatchObject({ schedule: hourly, metadata: [{ name: "k", value: "v" }] });
    expect(schedule.jobSpecification?.priority).toBe(9);
    expect((await client.job.get("p1:job-1")).priority).toBe(0);
    await client.job.terminate("p1:job-1");
    await bed.clock.advance(3_600_000);
    expect((await client.job.get("p1:job-2")).priority).toBe(9);
  });

  it("PUT replaces: omitted metadata is removed, an omitted schedule is the default one (a single job, at once)", async () => {
    await client.jobSchedule.add({
      id: "u1",
      schedule: { recurrenceInterval: "PT1H", startWindow: "PT5M" },
      jobSpecification,
      metadata: [{ name: "k", value: "v" }],
    });
    await client.job.terminate("u1:job-1");
    await bed.clock.advance(60_000);
    const put = await batch("/jobschedules/u1", { method: "PUT", json: { jobSpecification: { ...jobSpecification, displayName: "replaced" } } });
    expect(put.status).toBe(200);
    const schedule = await client.jobSchedule.get("u1");
    expect(schedule.metadata ?? []).toEqual([]);
    expect(schedule.schedule ?? {}).toEqual({});
    expect(schedule.jobSpecification?.displayName).toBe("replaced");
    await bed.waitFor(async () => (await client.job.listFromJobSchedule("u1")).length === 2, "the default schedule's job");
    expect((await client.job.get("u1:job-2")).displayName).toBe("replaced");
    const missing = await batch("/jobschedules/u1", { method: "PUT", json: { schedule: {} } });
    expect([missing.status, missing.json.code]).toEqual([400, "MissingRequiredProperty"]);
  });
});

describe("terminate and delete", () => {
  it("terminate ends the active job with TerminateJobSchedule and completes the schedule; it then refuses changes", async () => {
    await client.jobSchedule.add({ id: "t", schedule: hourly, jobSpecification });
    const answer = await client.jobSchedule.terminate("t");
    expect(answer._response.status).toBe(202);
    const job = await bed.jobIn("t:job-1", "completed");
    expect(job.executionInfo.terminateReason).toBe("TerminateJobSchedule");
    const schedule = await bed.waitFor(async () => {
      const current = await client.jobSchedule.get("t");
      return current.state === "completed" && current;
    }, "the schedule to complete");
    expect(schedule.executionInfo?.endTime).toBeDefined();
    expect(schedule.executionInfo?.nextRunTime).toBeUndefined();
    for (const call of [
      client.jobSchedule.terminate("t"),
      client.jobSchedule.disable("t"),
      client.jobSchedule.enable("t"),
      client.jobSchedule.patch("t", {}),
    ]) {
      expect(await restErrorOf(call)).toMatchObject({ statusCode: 409, code: "JobScheduleCompleted" });
    }
    await bed.clock.advance(7_200_000);
    expect((await client.job.listFromJobSchedule("t")).map((j) => j.id)).toEqual(["t:job-1"]);
  });

  it("terminate waits for the job's running tasks; meanwhile the schedule is terminating", async () => {
    const work = bed.runtime.hold("work");
    await bed.addPool("p");
    await client.jobSchedule.add({ id: "tt", schedule: hourly, jobSpecification });
    await client.task.add("tt:job-1", { id: "busy", commandLine: "work" });
    await work.started("busy");
    // The task's process dies only when the test says so, as a kill takes its time on a real node.
    let killTakesEffect = () => {};
    bed.runtime.killsTakeEffect = new Promise<void>((resolve) => (killTakesEffect = resolve));
    await client.jobSchedule.terminate("tt");
    expect((await client.jobSchedule.get("tt")).state).toBe("terminating");
    expect(await restErrorOf(client.jobSchedule.disable("tt"))).toMatchObject({ statusCode: 409, code: "JobScheduleBeingTerminated" });
    killTakesEffect();
    await bed.waitFor(async () => (await client.jobSchedule.get("tt")).state === "completed", "the schedule to complete");
  });

  it("delete (202) removes the schedule with its jobs and their tasks; other jobs stay", async () => {
    const work = bed.runtime.hold("work");
    await bed.addPool("p");
    await client.jobSchedule.add({ id: "del", schedule: hourly, jobSpecification });
    await client.job.terminate("del:job-1");
    await bed.clock.advance(3_600_000);
    await client.task.add("del:job-2", { id: "busy", commandLine: "work" });
    const run = await work.started("busy");
    await client.job.add({ id: "other", poolInfo: { poolId: "p" } });
    const answer = await client.jobSchedule.deleteMethod("del");
    expect(answer._response.status).toBe(202);
    expect((await client.jobSchedule.get("del")).state).toBe("deleting");
    expect(await restErrorOf(client.jobSchedule.deleteMethod("del"))).toMatchObject({ statusCode: 409, code: "JobScheduleBeingDeleted" });
    expect(await restErrorOf(client.jobSchedule.patch("del", {}))).toMatchObject({ statusCode: 409, code: "JobScheduleBeingDeleted" });
    await bed.waitFor(() => run.killed, "the running task of the schedule's job to be killed");
    await bed.waitFor(async () => !(await client.jobSchedule.exists("del")).body, "the schedule to be gone");
    expect(await restErrorOf(client.job.get("del:job-1"))).toMatchObject({ code: "JobNotFound" });
    expect(await restErrorOf(client.job.get("del:job-2"))).toMatchObject({ code: "JobNotFound" });
    expect((await client.job.list()).map((job) => job.id)).toEqual(["other"]);
    // The id is free again: a new schedule starts over at job-1.
    await client.jobSchedule.add({ id: "del", schedule: hourly, jobSpecification });
    expect((await client.job.listFromJobSchedule("del")).map((job) => job.id)).toEqual(["del:job-1"]);
  });
});
