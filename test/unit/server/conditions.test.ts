import { describe, expect, it } from "vitest";
import { BatchError } from "../../../src/core/batch-error.js";
import type { BatchRequest } from "../../../src/server/http/batch-request.js";
import { checkConditions, NotModified } from "../../../src/server/protocol/conditions.js";

const entity = { eTag: "0x8D4", lastModified: "2026-01-01T10:00:00.000Z" };

function status(headers: Record<string, string>, kind: "read" | "write"): number {
  try {
    checkConditions({ headers } as unknown as BatchRequest, entity, kind);
    return 200;
  } catch (error) {
    if (error instanceof NotModified) return 304;
    if (error instanceof BatchError && error.code === "ConditionNotMet") return error.statusCode;
    throw error;
  }
}

describe("conditional requests", () => {
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
