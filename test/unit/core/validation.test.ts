import { describe, expect, it } from "vitest";
import { parseDuration, optionalDurationMs, INFINITE_DURATION } from "../../../src/core/validation/durations.js";
import { validateId } from "../../../src/core/validation/ids.js";
import { validateJobAdd, validatePoolAdd, validateTaskAdd } from "../../../src/core/validation/validate-add.js";
import { validatePoolAddAutoScale } from "../../../src/core/autoscale/index.js";
import { errorOf } from "../../support/error-of.js";

describe("ids", () => {
  it("accepts letters, digits, hyphens and underscores up to 64 characters", () => {
    expect(validateId("id", "topNtask0")).toBe("topNtask0");
    expect(validateId("id", "a-b_C9".padEnd(64, "x"))).toHaveLength(64);
  });

  it("rejects missing, long and odd ids with the service's codes", () => {
    expect(errorOf(() => validateId("id", undefined)).code).toBe("MissingRequiredProperty");
    expect(errorOf(() => validateId("id", "x".repeat(65))).code).toBe("InvalidPropertyValue");
    const bad = errorOf(() => validateId("id", "has space"));
    expect(bad.statusCode).toBe(400);
    expect(bad.values).toContainEqual({ key: "PropertyName", value: "id" });
  });
});

describe("durations", () => {
  it("parses ISO 8601 durations", () => {
    expect(parseDuration("d", "PT15M")).toBe(900_000);
    expect(parseDuration("d", "P1DT1H1M1.5S")).toBe(90_061_500);
    expect(parseDuration("d", "PT0.5S")).toBe(500);
    expect(optionalDurationMs("d", INFINITE_DURATION)).toBeUndefined();
    expect(optionalDurationMs("d", undefined)).toBeUndefined();
  });

  it("rejects what is not a duration", () => {
    for (const bad of ["15M", "P", "PT", "PT-1S", "1 hour"]) expect(errorOf(() => parseDuration("d", bad)).code).toBe("InvalidPropertyValue");
  });
});

describe("add parameters", () => {
  it("requires a pool's vmSize and checks its numbers", () => {
    expect(errorOf(() => validatePoolAdd({ id: "p" } as never)).values).toContainEqual({ key: "PropertyName", value: "vmSize" });
    expect(errorOf(() => validatePoolAdd({ id: "p", vmSize: "s", targetDedicatedNodes: -1 })).code).toBe("InvalidPropertyValue");
    expect(errorOf(() => validatePoolAdd({ id: "p", vmSize: "s", taskSlotsPerNode: 0 })).code).toBe("InvalidPropertyValue");
    expect(errorOf(() => validatePoolAddAutoScale({ id: "p", vmSize: "s", enableAutoScale: true })).code).toBe("MissingRequiredProperty");
  });

  it("requires a job's pool", () => {
    expect(errorOf(() => validateJobAdd({ id: "j" } as never)).code).toBe("MissingRequiredProperty");
    expect(() => validateJobAdd({ id: "j", poolInfo: { poolId: "p" } })).not.toThrow();
  });

  it("checks a task's resource files: one source, a path inside the working directory", () => {
    const base = { id: "t", commandLine: "true" };
    expect(() => validateTaskAdd({ ...base, resourceFiles: [{ httpUrl: "http://x/y", filePath: "y" }] })).not.toThrow();
    expect(errorOf(() => validateTaskAdd({ ...base, resourceFiles: [{ filePath: "y" }] })).code).toBe("MissingRequiredProperty");
    expect(errorOf(() => validateTaskAdd({ ...base, resourceFiles: [{ httpUrl: "u", storageContainerUrl: "c", filePath: "y" }] })).code).toBe(
      "InvalidPropertyValue",
    );
    expect(errorOf(() => validateTaskAdd({ ...base, resourceFiles: [{ httpUrl: "u", filePath: "../etc/passwd" }] })).code).toBe("InvalidPropertyValue");
    expect(errorOf(() => validateTaskAdd({ ...base, resourceFiles: [{ httpUrl: "u" }] })).code).toBe("MissingRequiredProperty");
  });

  it("checks a task's constraints", () => {
    const base = { id: "t", commandLine: "true" };
    expect(errorOf(() => validateTaskAdd({ ...base, constraints: { maxTaskRetryCount: -2 } })).code).toBe("InvalidPropertyValue");
    expect(errorOf(() => validateTaskAdd({ ...base, constraints: { maxWallClockTime: "soon" } })).code).toBe("InvalidPropertyValue");
    expect(errorOf(() => validateTaskAdd({ ...base, commandLine: "" })).code).toBe("MissingRequiredProperty");
  });
});
