import { describe, expect, it } from "vitest";
import { NotModified } from "../../../src/core/access-conditions.js";
import type { BatchService } from "../../../src/core/backend.js";
import { BatchErrors } from "../../../src/core/batch-errors.js";
import { createLogger } from "../../../src/core/logger.js";
import { addJobRoutes } from "../../../src/server/handlers/job-handlers.js";
import { addPoolRoutes } from "../../../src/server/handlers/pool-handlers.js";
import { addTaskRoutes } from "../../../src/server/handlers/task-handlers.js";
import type { BatchResponse } from "../../../src/server/http/batch-request.js";
import { errorResponse } from "../../../src/server/http/error-response.js";
import { Router } from "../../../src/server/http/router.js";

const ORIGIN = "http://127.0.0.1:10100";
const POOL = { id: "p", vmSize: "s", eTag: "0x8D1", lastModified: "2026-01-01T10:00:00.000Z", url: `${ORIGIN}/pools/p` };

type Call = [operation: string, ...args: unknown[]];

/** A BatchService that records every call and answers with `answer` (or the pool above). */
function recordingService(answer: (operation: string, args: unknown[]) => unknown = () => POOL): { service: BatchService; calls: Call[] } {
  const calls: Call[] = [];
  const group = (name: string) =>
    new Proxy(
      {},
      {
        get:
          (_target, method: string) =>
          async (...args: unknown[]) => {
            calls.push([`${name}.${method}`, ...args]);
            return answer(`${name}.${method}`, args);
          },
      },
    );
  const service = {
    pool: group("pool"),
    computeNode: group("computeNode"),
    job: group("job"),
    task: group("task"),
    file: group("file"),
  } as unknown as BatchService;
  return { service, calls };
}

async function send(
  service: BatchService,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<BatchResponse> {
  const router = new Router();
  addPoolRoutes(router, service);
  addJobRoutes(router, service);
  addTaskRoutes(router, service);
  const url = new URL(`${path}?api-version=2024-07-01.20.0`, ORIGIN);
  const match = router.match(method, url.pathname.split("/").filter(Boolean));
  if (match.kind !== "found") throw new Error(`no route for ${method} ${path}`);
  const body = Buffer.from(options.body === undefined ? "" : JSON.stringify(options.body));
  try {
    return await match.handler({ method, url, params: match.params, headers: options.headers ?? {}, body, apiVersion: "2024-07-01.20.0", requestId: "r" });
  } catch (error) {
    return errorResponse(error, "r", ORIGIN, createLogger("test"));
  }
}

describe("handlers parse, call, write", () => {
  it("pass the conditions to the service and fetch nothing first", async () => {
    const { service, calls } = recordingService();
    const deleted = await send(service, "DELETE", "/pools/p", { headers: { "if-match": '"0x8D1"' } });
    expect(deleted).toEqual({ status: 202, headers: { DataServiceId: `${ORIGIN}/pools/p` } });
    expect(calls).toEqual([["pool.delete", "p", { conditions: { ifMatch: '"0x8D1"' } }]]);

    calls.length = 0;
    await send(service, "DELETE", "/jobs/j", {});
    await send(service, "POST", "/jobs/j/terminate", { headers: { "if-unmodified-since": "Thu, 01 Jan 2026 10:00:00 GMT" } });
    await send(service, "POST", "/jobs/j/terminate", { body: { terminateReason: "enough" } });
    await send(service, "DELETE", "/jobs/j/tasks/t", { headers: { "if-none-match": "*" } });
    await send(service, "GET", "/jobs/j/tasks/t", { headers: { "if-modified-since": "Thu, 01 Jan 2026 10:00:00 GMT" } });
    expect(calls).toEqual([
      ["job.delete", "j", { conditions: undefined }],
      ["job.terminate", "j", undefined, { conditions: { ifUnmodifiedSince: "Thu, 01 Jan 2026 10:00:00 GMT" } }],
      ["job.terminate", "j", "enough", { conditions: undefined }],
      ["task.delete", "j", "t", { conditions: { ifNoneMatch: "*" } }],
      ["task.get", "j", "t", { conditions: { ifModifiedSince: "Thu, 01 Jan 2026 10:00:00 GMT" } }],
    ]);
  });

  it("point DataServiceId at the entity from the request's URL", async () => {
    const { service } = recordingService(() => undefined);
    expect((await send(service, "POST", "/pools/my%20pool/resize", { body: { targetDedicatedNodes: 2 } })).headers).toEqual({
      DataServiceId: `${ORIGIN}/pools/my%20pool`,
    });
    expect(await send(service, "POST", "/jobs/j/tasks/t/terminate")).toEqual({ status: 204, headers: { DataServiceId: `${ORIGIN}/jobs/j/tasks/t` } });
    expect(await send(service, "DELETE", "/jobs/j/tasks/t")).toEqual({ status: 200, headers: {} });
  });

  it("answer the service's NotModified with 304 and the entity's validators", async () => {
    const { service } = recordingService(() => {
      throw new NotModified(POOL);
    });
    expect(await send(service, "GET", "/pools/p", { headers: { "if-none-match": "0x8D1" } })).toEqual({
      status: 304,
      headers: { ETag: "0x8D1", "Last-Modified": "Thu, 01 Jan 2026 10:00:00 GMT" },
    });
  });

  it("answer what the service decides, such as deleting a pool twice", async () => {
    const { service } = recordingService(() => {
      throw BatchErrors.poolBeingDeleted("p");
    });
    expect(await send(service, "DELETE", "/pools/p")).toMatchObject({ status: 409, json: { code: "PoolBeingDeleted" } });
  });

  it("parse the body once into the model before calling the service, and call nothing for a bad body", async () => {
    const { service, calls } = recordingService();
    const created = await send(service, "POST", "/pools", {
      body: { id: "p", vmSize: "s", taskSchedulingPolicy: { nodeFillType: "Pack" }, "odata.metadata": "x" },
    });
    expect(created.status).toBe(201);
    expect(calls).toEqual([["pool.add", { id: "p", vmSize: "s", taskSchedulingPolicy: { nodeFillType: "pack" } }]]);

    calls.length = 0;
    expect(await send(service, "POST", "/pools", { body: { id: "p", vmSize: "s", virtualMachineConfiguration: "x" } })).toMatchObject({
      status: 400,
      json: { code: "InvalidRequestBody" },
    });
    expect(await send(service, "POST", "/jobs", { body: { id: "j", poolInfo: { poolId: "p" }, allowTaskPreemption: "x" } })).toMatchObject({ status: 400 });
    expect(await send(service, "POST", "/jobs/j/tasks", { body: { id: "t", commandLine: "x", affinityInfo: {} } })).toMatchObject({
      status: 400,
      json: { code: "UnsupportedProperty" },
    });
    expect(await send(service, "POST", "/jobs/j/addtaskcollection", { body: { value: [{ id: "t" }] } })).toMatchObject({
      status: 400,
      json: { code: "MissingRequiredProperty" },
    });
    expect(await send(service, "POST", "/pools/p/resize")).toMatchObject({ status: 400, json: { code: "InvalidRequestBody" } });
    expect(calls).toEqual([]);
  });
});
