/** `$expand=stats` and the lifetime statistics through @azure/batch 10.2.0, with the HTTP layer faked. */
import type { WebResourceLike } from "@azure/ms-rest-js";
import { describe, expect, it } from "vitest";
import { ACCOUNT_URL, backendAnswering, type Answer } from "./fake-batch-service.js";

const JOB_STATS = {
  url: `${ACCOUNT_URL}/lifetimejobstats`,
  startTime: "2024-05-01T09:00:00.000Z",
  lastUpdateTime: "2024-05-01T10:00:00.000Z",
  userCPUTime: "PT1M",
  kernelCPUTime: "PT2S",
  wallClockTime: "PT5M",
  readIOps: 3,
  writeIOps: 4,
  readIOGiB: 0.5,
  writeIOGiB: 1.5,
  numSucceededTasks: 2,
  numFailedTasks: 1,
  numTaskRetries: 1,
  waitTime: "PT10S",
};
const JOB = {
  id: "job1",
  url: `${ACCOUNT_URL}/jobs/job1`,
  eTag: "0x8DC0000000000CD",
  lastModified: "2024-05-01T10:00:00.000Z",
  creationTime: "2024-05-01T09:00:00.000Z",
  state: "active",
  poolInfo: { poolId: "pool1" },
};

function route(request: WebResourceLike): Answer | undefined {
  const url = new URL(request.url);
  if (url.pathname === "/lifetimejobstats") return { status: 200, json: JOB_STATS };
  if (url.pathname === "/lifetimepoolstats") {
    return { status: 200, json: { url: `${ACCOUNT_URL}/lifetimepoolstats`, startTime: JOB_STATS.startTime, lastUpdateTime: JOB_STATS.lastUpdateTime } };
  }
  if (url.pathname === "/jobs/job1") return { status: 200, json: url.searchParams.get("$expand") === "stats" ? { ...JOB, stats: JOB_STATS } : JOB };
  if (url.pathname === "/jobs") return { status: 200, json: { value: [JOB] } };
  return undefined;
}

describe("the Azure backend's statistics", () => {
  it("asks for $expand=stats only when told, and returns the stats as the service gives them", async () => {
    const { backend, requests } = await backendAnswering(route);
    expect((await backend.batch.job.get("job1")).stats).toBeUndefined();
    const job = await backend.batch.job.get("job1", { withStats: true });
    expect(job.stats).toEqual(JOB_STATS);
    await backend.batch.job.list({ withStats: true });
    expect(requests.map((request) => new URL(request.url).searchParams.get("$expand"))).toEqual([null, "stats", "stats"]);
  });

  it("calls getAllLifetimeStatistics for pools and jobs", async () => {
    const { backend, requests } = await backendAnswering(route);
    expect(await backend.batch.job.getAllLifetimeStatistics()).toEqual(JOB_STATS);
    expect((await backend.batch.pool.getAllLifetimeStatistics()).url).toBe(`${ACCOUNT_URL}/lifetimepoolstats`);
    expect(requests.map((request) => new URL(request.url).pathname)).toEqual(["/lifetimejobstats", "/lifetimepoolstats"]);
  });
});
