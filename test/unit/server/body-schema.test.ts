import { describe, expect, it } from "vitest";
import { arrayOf, object, optional, readOnly, required, unsupported } from "../../../src/server/protocol/body-schema.js";
import { boolean, dateTime, duration, enumOf, integer, string } from "../../../src/server/protocol/body-values.js";
import { errorOf } from "../../support/error-of.js";

/** Code and values of the error a parse throws. */
function refusal(parse: () => unknown): { code: string; values: Record<string, string> } {
  const error = errorOf(parse);
  expect(error.statusCode).toBe(400);
  return { code: error.code, values: Object.fromEntries(error.values.map((value) => [value.key, value.value])) };
}

const item = object("Item", {
  name: required(string),
  count: optional(integer()),
  tags: optional(arrayOf(string)),
  legacy: unsupported("Not here."),
  etag: readOnly(),
});

describe("object", () => {
  it("keeps known properties and skips nulls, OData annotations and read-only properties", () => {
    expect(item({ name: "a", count: 2, tags: ["x"], "odata.type": "t", etag: "0x1", legacy: null }, "")).toEqual({ name: "a", count: 2, tags: ["x"] });
    expect(item({ name: "a", count: null }, "")).toEqual({ name: "a" });
  });

  it("refuses an unknown property as an invalid body, naming its full path and type", () => {
    expect(refusal(() => item({ name: "a", colour: "red" }, "items[2]"))).toEqual({
      code: "InvalidRequestBody",
      values: { PropertyName: "items[2].colour", Reason: "The property 'items[2].colour' does not exist on type 'Item'." },
    });
    for (const key of ["__proto__", "constructor", "toString", "Name"]) {
      expect(refusal(() => item(JSON.parse(`{"name":"a","${key}":{}}`), "")).values.PropertyName).toBe(key);
    }
  });

  it("refuses an unsupported property with UnsupportedProperty and its reason", () => {
    expect(refusal(() => item({ name: "a", legacy: 1 }, "x"))).toEqual({
      code: "UnsupportedProperty",
      values: { PropertyName: "x.legacy", Reason: "Not here." },
    });
  });

  it("refuses a missing required property with MissingRequiredProperty", () => {
    expect(refusal(() => item({ count: 1 }, "x"))).toEqual({ code: "MissingRequiredProperty", values: { PropertyName: "x.name" } });
    expect(refusal(() => item({ name: null }, "")).values.PropertyName).toBe("name");
  });

  it("refuses anything but an object, naming the path and the value", () => {
    for (const value of ["x", 1, true, [], null]) {
      const { code, values } = refusal(() => item(value, "parent.item"));
      expect(code).toBe("InvalidRequestBody");
      expect(values.PropertyName).toBe("parent.item");
      expect(values.PropertyValue).toBe(typeof value === "string" ? value : JSON.stringify(value));
    }
  });
});

describe("arrayOf", () => {
  it("parses each item at its index", () => {
    expect(arrayOf(integer())([1, 2], "n")).toEqual([1, 2]);
    expect(refusal(() => arrayOf(integer())([1, "2"], "n")).values).toMatchObject({ PropertyName: "n[1]", PropertyValue: "2" });
    expect(refusal(() => arrayOf(string)([null], "n")).values.PropertyName).toBe("n[0]");
    expect(refusal(() => arrayOf(string)({ 0: "a" }, "n")).values).toMatchObject({ PropertyName: "n", PropertyValue: '{"0":"a"}' });
  });

  it("shows a long value cut short", () => {
    expect(refusal(() => arrayOf(string)("x".repeat(500), "n")).values.PropertyValue).toBe(`${"x".repeat(200)}...`);
  });
});

describe("values", () => {
  it("takes strings and booleans of their JSON type only", () => {
    expect(string("", "s")).toBe("");
    expect(boolean(false, "b")).toBe(false);
    expect(refusal(() => string(1, "s")).code).toBe("InvalidRequestBody");
    expect(refusal(() => boolean("true", "b")).values).toMatchObject({ PropertyName: "b", PropertyValue: "true" });
  });

  it("takes integers that fit an Int32, and checks a range as a value", () => {
    expect(integer()(-2_147_483_648, "i")).toBe(-2_147_483_648);
    expect(integer()(3.0, "i")).toBe(3);
    for (const value of [1.5, "1", 2_147_483_648, Number.NaN, true]) expect(refusal(() => integer()(value, "i")).code).toBe("InvalidRequestBody");
    expect(refusal(() => integer({ min: 1, max: 3 })(4, "i"))).toMatchObject({
      code: "InvalidPropertyValue",
      values: { PropertyName: "i", PropertyValue: "4" },
    });
  });

  it("matches enum values ignoring case and keeps the REST spelling", () => {
    const fill = enumOf(["spread", "pack", "dockerCompatible"]);
    expect(fill("Pack", "f")).toBe("pack");
    expect(fill("DOCKERCOMPATIBLE", "f")).toBe("dockerCompatible");
    expect(refusal(() => fill("fill", "f"))).toMatchObject({ code: "InvalidPropertyValue", values: { PropertyName: "f", PropertyValue: "fill" } });
    expect(refusal(() => fill(1, "f")).code).toBe("InvalidRequestBody");
  });

  it("checks durations and date-times", () => {
    expect(duration("PT15M", "d")).toBe("PT15M");
    expect(refusal(() => duration("15 minutes", "d"))).toMatchObject({ code: "InvalidPropertyValue", values: { PropertyName: "d" } });
    expect(refusal(() => duration(900, "d")).code).toBe("InvalidRequestBody");
    expect(dateTime("2025-01-31T12:00:00.5Z", "t")).toBe("2025-01-31T12:00:00.5Z");
    expect(dateTime("2025-01-31T12:00+01:00", "t")).toBe("2025-01-31T12:00+01:00");
    expect(refusal(() => dateTime("2025-02-30T12:00:00", "t")).code).toBe("InvalidPropertyValue");
    expect(refusal(() => dateTime("yesterday", "t")).code).toBe("InvalidPropertyValue");
    expect(refusal(() => dateTime(0, "t")).code).toBe("InvalidRequestBody");
  });
});
