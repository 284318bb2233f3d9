import { describe, expect, it } from "vitest";
import { BatchError } from "../../../src/core/batch-error.js";
import { apiVersionBefore, parseApiVersion } from "../../../src/server/protocol/api-version.js";
import { toCurrentNames, toVersionNames } from "../../../src/server/protocol/wire-names.js";

function errorOf(query: string): BatchError {
  try {
    parseApiVersion(new URLSearchParams(query));
  } catch (error) {
    if (error instanceof BatchError) return error;
  }
  throw new Error("expected a BatchError");
}

describe("api-version", () => {
  it("accepts the versions the SDKs and the tutorial speak", () => {
    for (const version of ["2017-09-01.6.0", "2018-12-01.8.0", "2022-10-01.16.0", "2024-07-01.20.0", "2025-06-01"]) {
      expect(parseApiVersion(new URLSearchParams({ "api-version": version }))).toBe(version);
    }
  });

  it("takes the first of repeated values", () => {
    expect(parseApiVersion(new URLSearchParams("api-version=2022-10-01.16.0&api-version=2022-10-01.16.0"))).toBe("2022-10-01.16.0");
  });

  it("refuses a missing, malformed or unknown version with the service's codes", () => {
    expect(errorOf("").code).toBe("MissingRequiredQueryParameter");
    expect(errorOf("").values).toEqual([{ key: "QueryParameterName", value: "api-version" }]);
    expect(errorOf("api-version=latest").code).toBe("InvalidQueryParameterValue");
    expect(errorOf("api-version=2014-01-01.1.0").code).toBe("InvalidQueryParameterValue");
    expect(errorOf("api-version=2031-01-01").statusCode).toBe(400);
  });

  it("bounds every part of a version, and what an error echoes of it", () => {
    for (const version of [
      `2024-07-01.${"9".repeat(5000)}.0`,
      `2024-07-01.20.${"0".repeat(4)}`,
      "2024-13-01",
      "2024-07-32",
      "2024-07-01.20",
      `${"2".repeat(5000)}`,
    ]) {
      const error = errorOf(`api-version=${version}`);
      expect(error.code).toBe("InvalidQueryParameterValue");
      expect(error.values.find((v) => v.key === "QueryParameterValue")?.value.length).toBeLessThanOrEqual(67);
    }
    expect(parseApiVersion(new URLSearchParams({ "api-version": "2024-07-01.999.999" }))).toBe("2024-07-01.999.999");
  });

  it("orders versions by date", () => {
    expect(apiVersionBefore("2017-09-01.6.0", "2018-12-01.8.0")).toBe(true);
    expect(apiVersionBefore("2025-06-01", "2024-07-01.20.0")).toBe(false);
  });
});

describe("renamed fields", () => {
  const oldPool = { id: "p", maxTasksPerNode: 2, startTask: { commandLine: "x", resourceFiles: [{ blobSource: "http://b", filePath: "f" }] } };
  const currentPool = { id: "p", taskSlotsPerNode: 2, startTask: { commandLine: "x", resourceFiles: [{ httpUrl: "http://b", filePath: "f" }] } };

  it("translates 2017 names to current ones on the way in, and back on the way out", () => {
    expect(toCurrentNames(oldPool, "2017-09-01.6.0")).toEqual(currentPool);
    expect(toVersionNames(currentPool, "2017-09-01.6.0")).toEqual(oldPool);
  });

  it("keeps maxTasksPerNode until 2020-09 and blobSource until 2018-12", () => {
    expect(toVersionNames(currentPool, "2019-08-01.10.0")).toEqual({ ...oldPool, startTask: currentPool.startTask });
    expect(toVersionNames(currentPool, "2022-10-01.16.0")).toBe(currentPool);
  });
});
