import { describe, expect, it } from "vitest";
import { checkAccessConditions, NotModified } from "../../../src/core/access-conditions.js";
import { BatchError } from "../../../src/core/batch-error.js";
import type { BatchRequest } from "../../../src/server/http/batch-request.js";
import { accessConditions } from "../../../src/server/protocol/access-condition-headers.js";

const entity = { eTag: "0x8D4", lastModified: "2026-01-01T10:00:00.000Z" };

function request(headers: Record<string, string | string[]>): BatchRequest {
  return { method: "GET", url: new URL("http://127.0.0.1/pools/p"), params: {}, headers, body: Buffer.alloc(0), apiVersion: "2024-07-01.20.0", requestId: "r" };
}

/** The status the service answers for these headers on a read or a write of `entity`. */
function status(headers: Record<string, string>, kind: "read" | "write"): number {
  try {
    checkAccessConditions(entity, accessConditions(request(headers)), kind);
    return 200;
  } catch (error) {
    if (error instanceof NotModified) return 304;
    if (error instanceof BatchError && error.code === "ConditionNotMet") return error.statusCode;
    throw error;
  }
}

describe("access condition headers", () => {
  it("reads the four headers, and nothing when there are none", () => {
    expect(accessConditions(request({}))).toBeUndefined();
    expect(
      accessConditions(
        request({
          "if-match": '"0x1"',
          "if-none-match": "*",
          "if-modified-since": "Thu, 01 Jan 2026 10:00:00 GMT",
          "if-unmodified-since": "2026-01-01T10:00:00Z",
        }),
      ),
    ).toEqual({ ifMatch: '"0x1"', ifNoneMatch: "*", ifModifiedSince: "Thu, 01 Jan 2026 10:00:00 GMT", ifUnmodifiedSince: "2026-01-01T10:00:00Z" });
  });

  it("joins a repeated header into one list and ignores malformed dates (RFC 9110 §13.1.3)", () => {
    expect(accessConditions(request({ "if-match": ['"a"', '"b"'] }))).toEqual({ ifMatch: '"a","b"' });
    expect(accessConditions(request({ "if-modified-since": "yesterday", "if-unmodified-since": "" }))).toBeUndefined();
  });

  it("passes If-Match with the current ETag, quoted or not, or *", () => {
    expect(status({ "if-match": "0x8D4" }, "write")).toBe(200);
    expect(status({ "if-match": '"0x8D4"' }, "write")).toBe(200);
    expect(status({ "if-match": "*" }, "write")).toBe(200);
    expect(status({ "if-match": "0x1" }, "write")).toBe(412);
  });

  it("answers a read the client already has with 304, a write with 412", () => {
    expect(status({ "if-none-match": "0x8D4" }, "read")).toBe(304);
    expect(status({ "if-none-match": "0x8D4" }, "write")).toBe(412);
    expect(status({ "if-none-match": "0x1" }, "read")).toBe(200);
  });

  it("compares modification times to the second", () => {
    expect(status({ "if-modified-since": "Thu, 01 Jan 2026 10:00:00 GMT" }, "read")).toBe(304);
    expect(status({ "if-modified-since": "Thu, 01 Jan 2026 09:59:59 GMT" }, "read")).toBe(200);
    expect(status({ "if-unmodified-since": "Thu, 01 Jan 2026 09:59:59 GMT" }, "write")).toBe(412);
    expect(status({ "if-unmodified-since": "Thu, 01 Jan 2026 10:00:00 GMT" }, "write")).toBe(200);
  });
});
