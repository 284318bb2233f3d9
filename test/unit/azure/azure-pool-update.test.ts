/** Pool_Patch, Pool_UpdateProperties, Pool_ListUsageMetrics and the application list through @azure/batch 10.2.0, with the HTTP layer faked. */
import type { WebResourceLike } from "@azure/ms-rest-js";
import { describe, expect, it } from "vitest";
import type { BatchError } from "../../../src/core/batch-error.js";
import { ACCOUNT_URL, backendAnswering, type Answer } from "./fake-batch-service.js";

const POOL = {
  id: "pool1",
  url: `${ACCOUNT_URL}/pools/pool1`,
  eTag: "0x8DC0000000000AB",
  lastModified: "2024-05-01T10:00:00.000Z",
  creationTime: "2024-05-01T09:00:00.000Z",
  state: "active",
  stateTransitionTime: "2024-05-01T09:00:00.000Z",
  allocationState: "steady",
  allocationStateTransitionTime: "2024-05-01T09:00:00.000Z",
  vmSize: "standard_d2s_v3",
  metadata: [{ name: "team", value: "b" }],
};

function route(request: WebResourceLike, url: URL): Answer | undefined {
  if (url.pathname === "/pools/pool1" && request.method === "GET") return { json: POOL };
  if (url.pathname === "/pools/pool1" && request.method === "PATCH") return { status: 200 };
  if (url.pathname === "/pools/pool1/updateproperties") return { status: 204 };
  if (url.pathname === "/poolusagemetrics") {
    return {
      json: {
        value: [{ poolId: "pool1", startTime: "2024-05-01T09:00:00.000Z", endTime: "2024-05-01T10:00:00.000Z", vmSize: "standard_d2s_v3", totalCoreHours: 2 }],
      },
    };
  }
  if (url.pathname === "/applications") return { json: { value: [{ id: "tool", displayName: "Tool", versions: ["1.0"] }] } };
  if (url.pathname === "/applications/tool") return { json: { id: "tool", displayName: "Tool", versions: ["1.0"] } };
  if (url.pathname === "/applications/nope") return { status: 404, json: { code: "ApplicationNotFound", message: { lang: "en-US", value: "Not found." } } };
  return undefined;
}

describe("the Azure backend's pool update, usage metrics and applications", () => {
  it("sends PATCH with the given properties and the conditions, then reads the pool", async () => {
    const { backend, requests } = await backendAnswering(route);
    const pool = await backend.batch.pool.patch(
      "pool1",
      { metadata: [{ name: "team", value: "b" }], applicationPackageReferences: [{ applicationId: "tool" }] },
      { conditions: { ifMatch: '"0x1"' } },
    );
    const [patch, get] = requests;
    expect(patch?.method).toBe("PATCH");
    expect(JSON.parse(patch?.body as string)).toEqual({ metadata: [{ name: "team", value: "b" }], applicationPackageReferences: [{ applicationId: "tool" }] });
    expect(patch?.headers.get("if-match")).toBe('"0x1"');
    expect(get?.method).toBe("GET");
    expect(pool).toMatchObject({ id: "pool1", metadata: [{ name: "team", value: "b" }] });
  });

  it("refuses by name what SDK 10.2.0's PoolPatchParameter cannot carry (vmSize), sending nothing", async () => {
    const { backend, requests } = await backendAnswering(route);
    const error = await backend.batch.pool.patch("pool1", { vmSize: "standard_d4s_v3" }).catch((e: BatchError) => e);
    expect((error as BatchError).code).toBe("UnsupportedProperty");
    expect((error as BatchError).values).toContainEqual(expect.objectContaining({ value: "vmSize" }));
    expect(requests).toEqual([]);
  });

  it("sends updateproperties with the lists the SDK requires, empty when omitted", async () => {
    const { backend, requests } = await backendAnswering(route);
    await backend.batch.pool.updateProperties("pool1", { startTask: { commandLine: "echo hi" } });
    const [post] = requests;
    expect(new URL(post?.url ?? "").pathname).toBe("/pools/pool1/updateproperties");
    expect(JSON.parse(post?.body as string)).toEqual({
      startTask: { commandLine: "echo hi" },
      certificateReferences: [],
      applicationPackageReferences: [],
      metadata: [],
    });
  });

  it("lists usage metrics with starttime and endtime, times as ISO strings", async () => {
    const { backend, requests } = await backendAnswering(route);
    const metrics = await backend.batch.pool.listUsageMetrics({ startTime: "2024-05-01T09:00:00.000Z", endTime: "2024-05-01T11:00:00.000Z" });
    expect(metrics).toEqual([
      { poolId: "pool1", startTime: "2024-05-01T09:00:00.000Z", endTime: "2024-05-01T10:00:00.000Z", vmSize: "standard_d2s_v3", totalCoreHours: 2 },
    ]);
    const url = new URL(requests[0]?.url ?? "");
    expect(url.searchParams.get("starttime")).toBe("2024-05-01T09:00:00.000Z");
    expect(url.searchParams.get("endtime")).toBe("2024-05-01T11:00:00.000Z");
  });

  it("lists and gets applications, mapping 404 ApplicationNotFound", async () => {
    const { backend } = await backendAnswering(route);
    expect(await backend.batch.application.list()).toEqual([{ id: "tool", displayName: "Tool", versions: ["1.0"] }]);
    expect(await backend.batch.application.get("tool")).toEqual({ id: "tool", displayName: "Tool", versions: ["1.0"] });
    const error = await backend.batch.application.get("nope").catch((e: BatchError) => e);
    expect([(error as BatchError).statusCode, (error as BatchError).code]).toEqual([404, "ApplicationNotFound"]);
  });
});
