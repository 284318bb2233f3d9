import { describe, expect, expectTypeOf, it } from "vitest";
import type { BatchRequest } from "../../../src/server/http/batch-request.js";
import type { RouteParams } from "../../../src/server/http/route-params.js";
import { Router } from "../../../src/server/http/router.js";

const handler = async () => ({ status: 200 });

function router(): Router {
  return new Router()
    .add("GET", "/pools/{poolId}", handler)
    .add("DELETE", "/pools/{poolId}", handler)
    .add("GET", "/jobs/{jobId}/tasks/{taskId}/files/{*filePath}", handler);
}

describe("Router", () => {
  it("matches parameters, percent-decoded", () => {
    expect(router().match("GET", ["pools", "my%20pool"])).toMatchObject({ kind: "found", params: { poolId: "my pool" } });
  });

  it("matches literal segments case-insensitively", () => {
    expect(router().match("GET", ["Pools", "p"]).kind).toBe("found");
  });

  it("joins the rest of the path for file paths, decoding %2F inside a segment", () => {
    expect(router().match("GET", ["jobs", "j", "tasks", "t", "files", "wd", "sub", "x.txt"])).toMatchObject({ params: { filePath: "wd/sub/x.txt" } });
    expect(router().match("GET", ["jobs", "j", "tasks", "t", "files", "wd%2Fx.txt"])).toMatchObject({ params: { filePath: "wd/x.txt" } });
  });

  it("tells a wrong verb from an unknown path", () => {
    expect(router().match("POST", ["pools", "p"])).toEqual({ kind: "method-not-allowed", allowed: ["GET", "DELETE"] });
    expect(router().match("GET", ["pools", "p", "extra"]).kind).toBe("not-found");
    expect(router().match("GET", ["pools", "%E0%A4%A"]).kind).toBe("not-found");
    expect(router().match("GET", ["jobs", "j", "tasks", "t", "files"]).kind).toBe("not-found");
  });

  it("types a handler's parameters from its pattern", async () => {
    expectTypeOf<RouteParams<"/pools">>().toEqualTypeOf<Record<never, never>>();
    expectTypeOf<RouteParams<"/pools/{poolId}">>().toEqualTypeOf<{ poolId: string }>();
    expectTypeOf<RouteParams<"/pools/{poolId}/nodes/{nodeId}/files/{*filePath}">>().toEqualTypeOf<{ poolId: string; nodeId: string; filePath: string }>();
    const seen: string[] = [];
    const typed = new Router().add("GET", "/jobs/{jobId}/tasks/{taskId}", async (request) => {
      expectTypeOf(request.params).toEqualTypeOf<{ jobId: string; taskId: string }>();
      // @ts-expect-error: the pattern has no nodeId
      seen.push(request.params.jobId, request.params.taskId, String(request.params.nodeId));
      return { status: 200 };
    });
    const match = typed.match("GET", ["jobs", "j", "tasks", "t"]);
    if (match.kind !== "found") throw new Error("no match");
    await match.handler({ params: match.params } as BatchRequest);
    expect(seen).toEqual(["j", "t", "undefined"]);
  });
});
