/**
 * `$expand=stats` on pools, jobs, job schedules and tasks, and the account's lifetime statistics
 * (`lifetimepoolstats`, `lifetimejobstats`), through @azure/batch on the fake runtime and clock:
 * each figure is derived from the times the test moves the clock to and the usage its scripted
 * processes report.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   response bodies of signed requests are untyped JSON here, read as the wire carries them. */
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ProcessUsage } from "../../../src/backends/local/docker/node-runtime.js";
import { FAKE_CLOCK_START } from "../../support/fake-clock.js";
import type { HeldProgram } from "../../support/held-program.js";
import { signedFetcher } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";

const GIB = 1024 ** 3;
const usage = (userCpuMs: number, kernelCpuMs: number, readBytes: number, writeBytes: number, readOps: number, writeOps: number): ProcessUsage => ({
  userCpuMs,
  kernelCpuMs,
  readBytes,
  writeBytes,
  readOps,
  writeOps,
});
/** Task a's failed try, its retry, and task b's only try. */
const A1 = usage(1200, 300, GIB, 2 * GIB, 10, 20);
const A2 = usage(800, 200, 0, GIB / 2, 5, 7);
const B1 = usage(4000, 1500, GIB / 4, 0, 1, 0);

let bed: TestBed;
let client: BatchServiceClient;
let work: HeldProgram;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  work = bed.runtime.hold("work");
  await bed.addPool("p");
  await bed.addJob("j", "p");
});

afterEach(async () => {
  await bed?.close();
});

/**
 * On one node with one slot: a fails after 3 s, is retried and succeeds 2 s later; b waits for
 * the slot for those 5 s, then fails after 4 s. The clock ends 9 s after the start.
 */
async function runTwoTasks(): Promise<void> {
  await client.task.add("j", { id: "a", commandLine: "work", constraints: { maxTaskRetryCount: 1 } });
  await client.task.add("j", { id: "b", commandLine: "work" });
  const first = await work.started("a");
  await bed.clock.advance(3000);
  first.finish({ exitCode: 1, usage: A1 });
  await bed.waitFor(() => work.running.find((run) => run.env.AZ_BATCH_TASK_ID === "a" && run !== first), "a's retry");
  await bed.clock.advance(2000);
  (await work.started("a")).finish({ exitCode: 0, usage: A2 });
  const b = await work.started("b");
  await bed.clock.advance(4000);
  b.finish({ exitCode: 2, usage: B1 });
  await bed.taskIn("j", "b", "completed");
}

describe("$expand=stats", () => {
  it("gives a task its wall clock over all tries, its wait and what its processes reported", async () => {
    await runTwoTasks();
    const a = await client.task.get("j", "a", { taskGetOptions: { expand: "stats" } });
    expect(a.stats).toMatchObject({
      startTime: a.creationTime,
      wallClockTime: "PT5S",
      // "If the task is retried due to failures, the wait time is the time to the most recent task execution."
      waitTime: "PT3S",
      userCPUTime: "PT2S",
      kernelCPUTime: "PT0.5S",
      readIOps: 15,
      writeIOps: 27,
      readIOGiB: 1,
      writeIOGiB: 2.5,
    });
    expect(a.stats?.lastUpdateTime.getTime()).toBe(bed.clock.now());
    expect(a.stats?.url).toBe(a.url);
    const b = await client.task.get("j", "b", { taskGetOptions: { expand: "stats" } });
    expect(b.stats).toMatchObject({ wallClockTime: "PT4S", waitTime: "PT5S", userCPUTime: "PT4S", kernelCPUTime: "PT1.5S", readIOGiB: 0.25 });
  });

  it("sums a job's tasks and counts their outcomes and retries", async () => {
    await runTwoTasks();
    const job = await client.job.get("j", { jobGetOptions: { expand: "stats" } });
    expect(job.stats).toMatchObject({
      wallClockTime: "PT9S",
      waitTime: "PT8S",
      userCPUTime: "PT6S",
      kernelCPUTime: "PT2S",
      readIOps: 16,
      writeIOps: 27,
      readIOGiB: 1.25,
      writeIOGiB: 2.5,
      numSucceededTasks: 1,
      numFailedTasks: 1,
      numTaskRetries: 1,
    });
    expect(job.stats?.startTime.toISOString()).toBe(job.creationTime?.toISOString());
    const [listed] = await client.job.list({ jobListOptions: { expand: "stats" } });
    expect(listed?.stats).toEqual(job.stats);
  });

  it("counts a running try's wall clock up to now", async () => {
    await client.task.add("j", { id: "t", commandLine: "work" });
    const run = await work.started("t");
    await bed.clock.advance(7000);
    const tasks = await client.task.list("j", { taskListOptions: { expand: "stats" } });
    expect(tasks.map((task) => [task.id, task.stats?.wallClockTime, task.stats?.userCPUTime])).toEqual([["t", "PT7S", "PT0S"]]);
    run.finish(0);
  });

  it("gives a pool its dedicated core time since its creation, and no stats without $expand", async () => {
    await bed.clock.advance(90_000);
    const pool = await client.pool.get("p", { poolGetOptions: { expand: "stats" } });
    // One standard_d2s_v3 node (2 cores) since the pool was created.
    const elapsedSeconds = (bed.clock.now() - FAKE_CLOCK_START) / 1000;
    expect(pool.stats?.usageStats?.dedicatedCoreTime).toBe(`PT${(2 * elapsedSeconds) / 60}M`);
    expect(pool.stats?.resourceStats).toBeUndefined();
    expect((await client.pool.get("p")).stats).toBeUndefined();
    expect((await client.pool.list())[0]?.stats).toBeUndefined();
    expect((await client.pool.list({ poolListOptions: { expand: "stats" } }))[0]?.stats?.usageStats?.dedicatedCoreTime).toBe(
      pool.stats?.usageStats?.dedicatedCoreTime,
    );
  });

  it("sums a job schedule's jobs' tasks", async () => {
    await client.jobSchedule.add({ id: "s", schedule: { recurrenceInterval: "PT1H" }, jobSpecification: { poolInfo: { poolId: "p" } } });
    const jobId: string = await bed.waitFor(async () => (await client.jobSchedule.get("s")).executionInfo?.recentJob?.id, "the schedule's first job");
    await client.task.add(jobId, { id: "t", commandLine: "work" });
    const run = await work.started("t");
    await bed.clock.advance(1500);
    run.finish({ exitCode: 0, usage: A1 });
    await bed.taskIn(jobId, "t", "completed");
    const schedule = await client.jobSchedule.get("s", { jobScheduleGetOptions: { expand: "stats" } });
    expect(schedule.stats).toMatchObject({ wallClockTime: "PT1.5S", userCPUTime: "PT1.2S", numSucceededTasks: 1, writeIOGiB: 2 });
    expect((await client.jobSchedule.get("s")).stats).toBeUndefined();
  });

  it("accepts metadata, and refuses any other name with InvalidQueryParameterValue", async () => {
    const batch = signedFetcher(bed.account);
    const ok = await batch("/jobs/j", { query: { $expand: "metadata, stats" } });
    expect(ok.status).toBe(200);
    expect(ok.json.stats.numSucceededTasks).toBe(0);
    expect((await batch("/jobs/j", { query: { $expand: "metadata" } })).json.stats).toBeUndefined();
    const bad = await batch("/pools", { query: { $expand: "nodes" } });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe("InvalidQueryParameterValue");
    expect(bad.json.values).toContainEqual({ key: "QueryParameterName", value: "$expand" });
  });
});

describe("lifetime statistics", () => {
  it("keep the jobs' figures after the job is deleted", async () => {
    await runTwoTasks();
    await client.job.deleteMethod("j");
    await bed.waitFor(async () => !(await bed.batch.job.list()).some((job) => job.id === "j"), "job j to be gone");
    const stats = await client.job.getAllLifetimeStatistics();
    expect(stats).toMatchObject({ wallClockTime: "PT9S", userCPUTime: "PT6S", numSucceededTasks: 1, numFailedTasks: 1, numTaskRetries: 1 });
    expect(stats.url).toMatch(/\/lifetimejobstats$/);
  });

  it("give the pools' dedicated core time, deleted pools included", async () => {
    await bed.addPool("q", { vmSize: "standard_d4s_v3" });
    await bed.clock.advance(60_000);
    await client.pool.deleteMethod("q");
    await bed.waitFor(async () => !(await bed.batch.pool.exists("q")), "pool q to be gone");
    await bed.clock.advance(60_000);
    // p: 2 cores for 2 minutes; q: 4 cores for 1 minute.
    expect((await client.pool.getAllLifetimeStatistics()).usageStats?.dedicatedCoreTime).toBe("PT8M");
  });

  it("are no resource from api-version 2023-05-01.17.0 on", async () => {
    const batch = signedFetcher(bed.account);
    expect((await batch("/lifetimejobstats", { apiVersion: "2022-10-01.16.0" })).status).toBe(200);
    for (const path of ["/lifetimejobstats", "/lifetimepoolstats"]) {
      const response = await batch(path, { apiVersion: "2023-05-01.17.0" });
      expect(response.status, path).toBe(404);
      expect(response.json.code, path).toBe("ResourceNotFound");
    }
  });
});
