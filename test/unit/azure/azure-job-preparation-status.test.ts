/** Job_ListPreparationAndReleaseTaskStatus through @azure/batch 10.2.0, with the HTTP layer faked. */
import { describe, expect, it } from "vitest";
import type { BatchError } from "../../../src/core/batch-error.js";
import { ACCOUNT_URL, backendAnswering } from "./fake-batch-service.js";

const NODE = `${ACCOUNT_URL}/pools/pool1/nodes/tvm-1_1-20240501t100000z`;
const FIRST = {
  poolId: "pool1",
  nodeId: "tvm-1_1-20240501t100000z",
  nodeUrl: NODE,
  jobPreparationTaskExecutionInfo: {
    startTime: "2024-05-01T10:00:00.000Z",
    endTime: "2024-05-01T10:00:05.000Z",
    state: "completed",
    taskRootDirectory: "workitems/job1/job-1/jobpreparation",
    taskRootDirectoryUrl: `${NODE}/files/workitems/job1/job-1/jobpreparation`,
    exitCode: 3,
    failureInfo: { category: "usererror", code: "FailureExitCode", message: "The task exited with an exit code representing a failure" },
    retryCount: 1,
    lastRetryTime: "2024-05-01T10:00:03.000Z",
    result: "failure",
  },
};
const SECOND = {
  poolId: "pool1",
  nodeId: "tvm-1_2-20240501t100000z",
  nodeUrl: `${ACCOUNT_URL}/pools/pool1/nodes/tvm-1_2-20240501t100000z`,
  jobPreparationTaskExecutionInfo: { startTime: "2024-05-01T10:00:00.000Z", state: "completed", retryCount: 0, exitCode: 0, result: "success" },
  jobReleaseTaskExecutionInfo: { startTime: "2024-05-01T11:00:00.000Z", state: "running" },
};

describe("the Azure backend's job preparation and release task status", () => {
  it("reads every page of GET /jobs/{jobId}/jobpreparationandreleasetaskstatus as core models", async () => {
    const next = `${ACCOUNT_URL}/jobs/job1/jobpreparationandreleasetaskstatus?api-version=2022-10-01.16.0&$skiptoken=2`;
    const { backend, requests } = await backendAnswering((request, url) => {
      if (url.pathname !== "/jobs/job1/jobpreparationandreleasetaskstatus" || request.method !== "GET") return undefined;
      return url.searchParams.has("$skiptoken") ? { json: { value: [SECOND] } } : { json: { value: [FIRST], "odata.nextLink": next } };
    });
    const items = await backend.batch.job.listPreparationAndReleaseTaskStatus("job1");
    expect(items).toEqual([FIRST, SECOND]);
    expect(requests).toHaveLength(2);
  });

  it("maps the service's 409 JobPreparationTaskNotSpecified", async () => {
    const { backend } = await backendAnswering(() => ({
      status: 409,
      json: { code: "JobPreparationTaskNotSpecified", message: { lang: "en-US", value: "The specified job does not have a Job Preparation task." } },
    }));
    const error = (await backend.batch.job.listPreparationAndReleaseTaskStatus("job1").catch((e: unknown) => e)) as BatchError;
    expect([error.statusCode, error.code]).toEqual([409, "JobPreparationTaskNotSpecified"]);
  });

  it("sends a job's preparation, release and manager tasks as given", async () => {
    const { backend, requests } = await backendAnswering((request, url) => {
      if (url.pathname === "/jobs" && request.method === "POST") return { status: 201 };
      if (url.pathname === "/jobs/job1") return { json: { id: "job1", state: "active", poolInfo: { poolId: "pool1" } } };
      return undefined;
    });
    const tasks = {
      jobPreparationTask: {
        id: "prep",
        commandLine: "prep",
        waitForSuccess: false,
        rerunOnNodeRebootAfterSuccess: false,
        constraints: { maxTaskRetryCount: 2 },
      },
      jobReleaseTask: { commandLine: "release", maxWallClockTime: "PT5M" },
      jobManagerTask: { id: "boss", commandLine: "manager", killJobOnCompletion: false, runExclusive: false, allowLowPriorityNode: true },
    };
    await backend.batch.job.add({ id: "job1", poolInfo: { poolId: "pool1" }, ...tasks });
    expect(JSON.parse(requests[0]?.body as string)).toMatchObject(tasks);
  });
});
