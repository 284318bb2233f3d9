import { describe, expect, it } from "vitest";
import { parseOcpRange, resolveRange } from "../../../src/server/protocol/ocp-range.js";
import { errorOf } from "../../support/error-of.js";

describe("ocp-range", () => {
  it("reads the three forms of one byte range, in any case of the unit", () => {
    expect(parseOcpRange(undefined)).toBeUndefined();
    expect(parseOcpRange("bytes=0-4")).toEqual({ kind: "from", start: 0, end: 4 });
    expect(parseOcpRange("BYTES=7-")).toEqual({ kind: "from", start: 7 });
    expect(parseOcpRange(" bytes=-3 ")).toEqual({ kind: "suffix", length: 3 });
    expect(parseOcpRange("bytes=4-4")).toEqual({ kind: "from", start: 4, end: 4 });
  });

  it("refuses anything else with 400 InvalidHeaderValue naming the header", () => {
    for (const value of [
      "",
      "abc",
      "bytes",
      "bytes=",
      "bytes=-",
      "bytes=a-b",
      "bytes=1-2,3-4",
      "bytes 0-4",
      "items=0-4",
      "bytes=+1-2",
      "bytes=1.5-2",
      `bytes=${"1".repeat(16)}-`,
      ["bytes=0-1", "bytes=2-3"],
    ]) {
      const error = errorOf(() => parseOcpRange(value));
      expect(error.statusCode).toBe(400);
      expect(error.code).toBe("InvalidHeaderValue");
      expect(error.values).toContainEqual({ key: "HeaderName", value: "ocp-range" });
    }
  });

  it("refuses a range whose end comes before its start", () => {
    expect(errorOf(() => parseOcpRange("bytes=5-1")).code).toBe("InvalidHeaderValue");
  });

  it("resolves a range against the file size, cutting an end past the file", () => {
    expect(resolveRange({ kind: "from", start: 0, end: 4 }, 10)).toEqual({ start: 0, end: 4 });
    expect(resolveRange({ kind: "from", start: 6, end: 1000 }, 10)).toEqual({ start: 6, end: 9 });
    expect(resolveRange({ kind: "from", start: 9 }, 10)).toEqual({ start: 9, end: 9 });
    expect(resolveRange({ kind: "suffix", length: 3 }, 10)).toEqual({ start: 7, end: 9 });
    expect(resolveRange({ kind: "suffix", length: 30 }, 10)).toEqual({ start: 0, end: 9 });
  });

  it("answers 416 InvalidRange for a range that covers no byte of the file", () => {
    for (const [range, size] of [
      [{ kind: "from", start: 10 }, 10],
      [{ kind: "from", start: 10, end: 20 }, 10],
      [{ kind: "from", start: 0, end: 0 }, 0],
      [{ kind: "suffix", length: 0 }, 10],
      [{ kind: "suffix", length: 5 }, 0],
    ] as const) {
      const error = errorOf(() => resolveRange(range, size));
      expect(error.statusCode).toBe(416);
      expect(error.code).toBe("InvalidRange");
    }
  });
});
