import { describe, expect, it } from "vitest";
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
});
