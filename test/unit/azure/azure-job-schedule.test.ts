/** Job schedules through the Azure backend: @azure/batch 10.2.0 runs for real above a faked HTTP layer. */
import type { WebResourceLike } from "@azure/ms-rest-js";
import { describe, expect, it } from "vitest";
import type { BatchError } from "../../../src/core/batch-error.js";
import { ACCOUNT_URL, backendAnswering, type Answer } from "./fake-batch-service.js";

const SCHEDULE = {
  id: "s1",
  url: `${ACCOUNT_URL}/jobschedules/s1`,
  eTag: "0x8DC0000000000AB",
  lastModified: "2024-05-01T10:00:00.000Z",
  creationTime: "2024-05-01T09:00:00.000Z",
  state: "active",
  stateTransitionTime: "2024-05-01T09:00:00.000Z",
  schedule: { recurrenceInterval: "PT1H", doNotRunUntil: "2024-06-01T00:00:00.000Z" },
  jobSpecification: { priority: 0, poolInfo: { poolId: "pool1" } },
  executionInfo: { nextRunTime: "2024-06-01T00:00:00.000Z", recentJob: { id: "s1:job-1", url: `${ACCOUNT_URL}/jobs/s1:job-1` } },
};

const JOB = { id: "s1:job-1", state: "active", poolInfo: { poolId: "pool1" }, executionInfo: { startTime: "2024-05-01T09:00:00.000Z" } };

/** The statuses of the actions (REST specification): disable and enable 204, terminate 202. */
const ACTIONS: Record<string, number> = { "/jobschedules/s1/disable": 204, "/jobschedules/s1/enable": 204, "/jobschedules/s1/terminate": 202 };

function scheduleRoute(request: WebResourceLike): Answer | undefined {
  const url = new URL(request.url);
  const action = ACTIONS[url.pathname];
  if (action !== undefined && request.method === "POST") return { status: action };
  if (url.pathname === "/jobschedules" && request.method === "POST") return { status: 201 };
  if (url.pathname === "/jobschedules" && request.method === "GET") return { status: 200, json: { value: [SCHEDULE] } };
  if (url.pathname === "/jobschedules/s1/jobs") return { status: 200, json: { value: [JOB] } };
  if (url.pathname === "/jobschedules/none")
    return { status: 404, json: { code: "JobScheduleNotFound", message: { lang: "en-US", value: "The specified job schedule does not exist." } } };
  if (url.pathname !== "/jobschedules/s1") return undefined;
  if (request.method === "GET" || request.method === "HEAD") return { status: 200, json: request.method === "GET" ? SCHEDULE : undefined };
  if (request.method === "PATCH" || request.method === "PUT") return { status: 200 };
  if (request.method === "DELETE") return { status: 202 };
  return undefined;
}

describe("the Azure backend's job schedules", () => {
  it("adds with POST /jobschedules and reads the schedule back, timestamps as ISO strings", async () => {
    const { backend, requests } = await backendAnswering(scheduleRoute);
    const schedule = await backend.batch.jobSchedule.add({
      id: "s1",
      schedule: { recurrenceInterval: "PT1H", doNotRunUntil: "2024-06-01T00:00:00.000Z" },
      jobSpecification: { poolInfo: { poolId: "pool1" } },
    });
    const [post, get] = requests;
    expect([post?.method, new URL(post?.url ?? "").pathname]).toEqual(["POST", "/jobschedules"]);
    expect(JSON.parse(post?.body as string)).toEqual({
      id: "s1",
      schedule: { recurrenceInterval: "PT1H", doNotRunUntil: "2024-06-01T00:00:00.000Z" },
      jobSpecification: { poolInfo: { poolId: "pool1" } },
    });
    expect(get?.method).toBe("GET");
    expect(schedule).toMatchObject({ id: "s1", state: "active", executionInfo: { nextRunTime: "2024-06-01T00:00:00.000Z", recentJob: { id: "s1:job-1" } } });
  });

  it("exists, list and the schedule's jobs", async () => {
    const { backend, requests } = await backendAnswering(scheduleRoute);
    expect(await backend.batch.jobSchedule.exists("s1")).toBe(true);
    expect(await backend.batch.jobSchedule.exists("none")).toBe(false);
    expect((await backend.batch.jobSchedule.list()).map((s) => s.id)).toEqual(["s1"]);
    expect((await backend.batch.jobSchedule.listJobs("s1")).map((j) => j.id)).toEqual(["s1:job-1"]);
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      "HEAD /jobschedules/s1",
      "HEAD /jobschedules/none",
      "GET /jobschedules",
      "GET /jobschedules/s1/jobs",
    ]);
  });

  it("PATCH sends what is given; PUT sends the default schedule when none is given; conditions go along", async () => {
    const { backend, requests } = await backendAnswering(scheduleRoute);
    await backend.batch.jobSchedule.patch("s1", { metadata: [{ name: "k", value: "v" }] }, { conditions: { ifMatch: "0x1" } });
    await backend.batch.jobSchedule.update("s1", { jobSpecification: { poolInfo: { poolId: "pool2" } } });
    const [patch, , put] = requests;
    expect(patch?.method).toBe("PATCH");
    expect(JSON.parse(patch?.body as string)).toEqual({ metadata: [{ name: "k", value: "v" }] });
    expect(patch?.headers.get("if-match")).toBe("0x1");
    expect(put?.method).toBe("PUT");
    expect(JSON.parse(put?.body as string)).toEqual({ schedule: {}, jobSpecification: { poolInfo: { poolId: "pool2" } } });
  });

  it("disable, enable, terminate and delete go to their paths", async () => {
    const { backend, requests } = await backendAnswering(scheduleRoute);
    await backend.batch.jobSchedule.disable("s1");
    await backend.batch.jobSchedule.enable("s1");
    await backend.batch.jobSchedule.terminate("s1", { conditions: { ifNoneMatch: "0x2" } });
    await backend.batch.jobSchedule.delete("s1");
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      "POST /jobschedules/s1/disable",
      "POST /jobschedules/s1/enable",
      "POST /jobschedules/s1/terminate",
      "DELETE /jobschedules/s1",
    ]);
    expect(requests[2]?.headers.get("if-none-match")).toBe("0x2");
  });

  it("maps the service's errors and refuses a property the SDK would drop", async () => {
    const { backend, requests } = await backendAnswering(scheduleRoute);
    const error = await backend.batch.jobSchedule.get("none").catch((e: BatchError) => e);
    expect([(error as BatchError).statusCode, (error as BatchError).code]).toEqual([404, "JobScheduleNotFound"]);
    const refused = await backend.batch.jobSchedule
      .add({ id: "s2", schedule: {}, jobSpecification: { poolInfo: { poolId: "p" }, bogus: 1 } as never })
      .catch((e: BatchError) => e);
    expect((refused as BatchError).code).toBe("UnsupportedProperty");
    expect(requests.map((r) => r.method)).toEqual(["GET"]);
  });
});
