/** Job_Patch and Job_Update through @azure/batch 10.2.0, with the HTTP layer faked. */
import type { WebResourceLike } from "@azure/ms-rest-js";
import { describe, expect, it } from "vitest";
import type { BatchError } from "../../../src/core/batch-error.js";
import { ACCOUNT_URL, backendAnswering, type Answer } from "./fake-batch-service.js";

const JOB = {
  id: "job1",
  url: `${ACCOUNT_URL}/jobs/job1`,
  eTag: "0x8DC0000000000CD",
  lastModified: "2024-05-01T10:00:00.000Z",
  creationTime: "2024-05-01T09:00:00.000Z",
  state: "active",
  stateTransitionTime: "2024-05-01T09:00:00.000Z",
  priority: 7,
  maxParallelTasks: -1,
  onAllTasksComplete: "terminatejob",
  onTaskFailure: "noaction",
  usesTaskDependencies: false,
  poolInfo: { poolId: "pool1" },
  executionInfo: { startTime: "2024-05-01T09:00:00.000Z", poolId: "pool1" },
};

function jobRoute(request: WebResourceLike): Answer | undefined {
  const url = new URL(request.url);
  if (url.pathname !== "/jobs/job1") return undefined;
  if (request.method === "GET") return { status: 200, json: JOB };
  if (request.method === "PATCH" || request.method === "PUT") return { status: 200 };
  return undefined;
}

describe("the Azure backend's job patch and update", () => {
  it("sends PATCH with the given properties and the conditions, then reads the job", async () => {
    const { backend, requests } = await backendAnswering(jobRoute);
    const job = await backend.batch.job.patch(
      "job1",
      { onAllTasksComplete: "terminatejob", priority: 7, constraints: { maxWallClockTime: "PT1H" } },
      { conditions: { ifMatch: '"0x1"', ifUnmodifiedSince: "Wed, 01 May 2024 10:00:00 GMT" } },
    );
    const [patch, get] = requests;
    expect(patch?.method).toBe("PATCH");
    expect(new URL(patch?.url ?? "").pathname).toBe("/jobs/job1");
    expect(JSON.parse(patch?.body as string)).toEqual({ priority: 7, onAllTasksComplete: "terminatejob", constraints: { maxWallClockTime: "PT1H" } });
    expect(patch?.headers.get("if-match")).toBe('"0x1"');
    expect(patch?.headers.get("if-unmodified-since")).toBe("Wed, 01 May 2024 10:00:00 GMT");
    expect(get?.method).toBe("GET");
    expect(job).toMatchObject({ id: "job1", eTag: JOB.eTag, priority: 7, onAllTasksComplete: "terminatejob" });
  });

  it("sends PUT with the replacement", async () => {
    const { backend, requests } = await backendAnswering(jobRoute);
    await backend.batch.job.update("job1", { poolInfo: { poolId: "pool1" }, metadata: [{ name: "k", value: "v" }] }, { conditions: { ifNoneMatch: "*" } });
    const [put] = requests;
    expect(put?.method).toBe("PUT");
    expect(JSON.parse(put?.body as string)).toEqual({ poolInfo: { poolId: "pool1" }, metadata: [{ name: "k", value: "v" }] });
    expect(put?.headers.get("if-none-match")).toBe("*");
  });

  it("maps the service's errors: 412 ConditionNotMet, 409 JobCompleted", async () => {
    const { backend } = await backendAnswering((request) => {
      if (request.method === "PATCH") return { status: 412, json: { code: "ConditionNotMet", message: { lang: "en-US", value: "The condition is not met." } } };
      if (request.method === "PUT") return { status: 409, json: { code: "JobCompleted", message: { lang: "en-US", value: "The job is completed." } } };
      return undefined;
    });
    const failed = (promise: Promise<unknown>) =>
      promise.then(
        () => "ok",
        (error: BatchError) => [error.statusCode, error.code],
      );
    expect(await failed(backend.batch.job.patch("job1", { priority: 1 }, { conditions: { ifMatch: "0x1" } }))).toEqual([412, "ConditionNotMet"]);
    expect(await failed(backend.batch.job.update("job1", { poolInfo: { poolId: "pool1" } }))).toEqual([409, "JobCompleted"]);
  });

  it("refuses a property the SDK would drop instead of sending without it", async () => {
    const { backend, requests } = await backendAnswering(jobRoute);
    const error = await backend.batch.job.patch("job1", { priority: 1, bogus: 1 } as never).catch((e: BatchError) => e);
    expect((error as BatchError).code).toBe("UnsupportedProperty");
    expect(requests).toEqual([]);
  });
});
