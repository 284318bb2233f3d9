/**
 * Task_Update, Task_Reactivate, File_DeleteFromTask/FromComputeNode and job force through
 * @azure/batch 10.2.0, with the HTTP layer faked.
 */
import type { WebResourceLike } from "@azure/ms-rest-js";
import { describe, expect, it } from "vitest";
import type { BatchError } from "../../../src/core/batch-error.js";
import { ACCOUNT_URL, backendAnswering, type Answer } from "./fake-batch-service.js";

const TASK = {
  id: "t1",
  url: `${ACCOUNT_URL}/jobs/job1/tasks/t1`,
  eTag: "0x8DC0000000000EF",
  lastModified: "2024-05-01T10:00:00.000Z",
  creationTime: "2024-05-01T09:00:00.000Z",
  state: "completed",
  stateTransitionTime: "2024-05-01T09:30:00.000Z",
  commandLine: "true",
  constraints: { maxWallClockTime: "PT1H", retentionTime: "P2D", maxTaskRetryCount: 0 },
  executionInfo: { retryCount: 0, requeueCount: 0, exitCode: 1, result: "failure" },
};

const error = (status: number, code: string): Answer => ({ status, json: { code, message: { lang: "en-US", value: code } } });

function route(request: WebResourceLike, url: URL): Answer | undefined {
  if (url.pathname.endsWith("/missing.txt")) return error(404, "FileNotFound");
  if (url.pathname === "/jobs/job1/tasks/t1" && request.method === "GET") return { status: 200, json: TASK };
  if (url.pathname === "/jobs/job1/tasks/t1" && request.method === "PUT") return { status: 200 };
  if (url.pathname === "/jobs/job1/tasks/t1/reactivate") return { status: 204 };
  if (url.pathname.startsWith("/jobs/job1/tasks/t1/files/") && request.method === "DELETE") return { status: 200 };
  if (url.pathname.startsWith("/pools/pool1/nodes/tvm-1/files/") && request.method === "DELETE") return { status: 200 };
  if (url.pathname.endsWith("/none")) return error(404, "TaskNotFound");
  if (url.pathname === "/jobs/job1/tasks/ok/reactivate") return error(409, "TaskSucceeded");
  return undefined;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: BatchError) => [e.statusCode, e.code],
  );

describe("the Azure backend's task control", () => {
  it("task update: PUT with the constraints and the conditions, then the task as the service has it", async () => {
    const { backend, requests } = await backendAnswering(route);
    const task = await backend.batch.task.update(
      "job1",
      "t1",
      { constraints: { retentionTime: "P2D", maxWallClockTime: "PT1H" } },
      { conditions: { ifMatch: "0x1" } },
    );
    const [put, get] = requests;
    expect(put?.method).toBe("PUT");
    expect(new URL(put?.url ?? "").pathname).toBe("/jobs/job1/tasks/t1");
    expect(JSON.parse(put?.body as string)).toEqual({ constraints: { retentionTime: "P2D", maxWallClockTime: "PT1H" } });
    expect(put?.headers.get("if-match")).toBe("0x1");
    expect(get?.method).toBe("GET");
    expect(task.constraints).toEqual(TASK.constraints);
  });

  it("task update without constraints sends an empty body, as the REST API's defaults then apply", async () => {
    const { backend, requests } = await backendAnswering(route);
    await backend.batch.task.update("job1", "t1", {});
    expect(JSON.parse(requests[0]?.body as string)).toEqual({});
  });

  it("task reactivate: POST .../reactivate with the conditions; the service's errors mapped", async () => {
    const { backend, requests } = await backendAnswering(route);
    await backend.batch.task.reactivate("job1", "t1", { conditions: { ifUnmodifiedSince: "Wed, 01 May 2024 10:00:00 GMT" } });
    expect(requests[0]?.method).toBe("POST");
    expect(new URL(requests[0]?.url ?? "").pathname).toBe("/jobs/job1/tasks/t1/reactivate");
    expect(requests[0]?.headers.get("if-unmodified-since")).toBe("Wed, 01 May 2024 10:00:00 GMT");
    expect(await failure(backend.batch.task.reactivate("job1", "ok"))).toEqual([409, "TaskSucceeded"]);
    expect(await failure(backend.batch.task.update("job1", "none", {}))).toEqual([404, "TaskNotFound"]);
  });

  it("file delete: DELETE with recursive, from a task and from a node; FileNotFound mapped", async () => {
    const { backend, requests } = await backendAnswering(route);
    await backend.batch.file.deleteFromTask("job1", "t1", "wd/out", { recursive: true });
    await backend.batch.file.deleteFromComputeNode("pool1", "tvm-1", "shared/x.txt");
    const [fromTask, fromNode] = requests.map((request) => ({ method: request.method, url: new URL(request.url) }));
    expect(fromTask?.method).toBe("DELETE");
    expect(decodeURIComponent(fromTask?.url.pathname ?? "")).toBe("/jobs/job1/tasks/t1/files/wd/out");
    expect(fromTask?.url.searchParams.get("recursive")).toBe("true");
    expect(decodeURIComponent(fromNode?.url.pathname ?? "")).toBe("/pools/pool1/nodes/tvm-1/files/shared/x.txt");
    expect(fromNode?.url.searchParams.get("recursive")).toBe("false");
    expect(await failure(backend.batch.file.deleteFromTask("job1", "t1", "missing.txt"))).toEqual([404, "FileNotFound"]);
  });

  it("job delete and terminate with force are refused before anything is sent: @azure/batch 10.2.0 cannot send force", async () => {
    const { backend, requests } = await backendAnswering(route);
    expect(await failure(backend.batch.job.delete("job1", { force: true }))).toEqual([400, "UnsupportedQueryParameter"]);
    expect(await failure(backend.batch.job.terminate("job1", "why", { force: true }))).toEqual([400, "UnsupportedQueryParameter"]);
    expect(requests).toEqual([]);
  });
});
