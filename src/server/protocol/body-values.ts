import { BatchErrors } from "../../core/batch-errors.js";
import { parseDuration } from "../../core/validation/durations.js";
import { shownValue, type Parser } from "./body-schema.js";

/** Parsers of the REST model's primitive types (Edm.String, Edm.Int32, Edm.Boolean, enums, durations, date-times). */

const INT32 = { min: -2_147_483_648, max: 2_147_483_647 };

export const string: Parser<string> = (value, path) => {
  if (typeof value !== "string") throw BatchErrors.wrongPropertyType(path, shownValue(value), "a string (Edm.String)");
  return value;
};

export const boolean: Parser<boolean> = (value, path) => {
  if (typeof value !== "boolean") throw BatchErrors.wrongPropertyType(path, shownValue(value), "true or false (Edm.Boolean)");
  return value;
};

/**
 * A JSON integer that fits an Int32 (anything else is the wrong type for the service's reader);
 * with `range`, values outside it are `InvalidPropertyValue`.
 */
export function integer(range?: { min: number; max: number }): Parser<number> {
  return (value, path) => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < INT32.min || value > INT32.max) {
      throw BatchErrors.wrongPropertyType(path, shownValue(value), "an integer (Edm.Int32)");
    }
    if (range && (value < range.min || value > range.max)) {
      throw BatchErrors.invalidPropertyValue(path, value, `The value must be an integer from ${range.min} to ${range.max}.`);
    }
    return value;
  };
}

/**
 * One of the REST enum's values, matched ignoring case as the service matches them, and kept in
 * the REST spelling (`taskcompletion`, `dockerCompatible`) so that every client's enum
 * deserializer recognises it when the entity is read back.
 */
export function enumOf<const T extends string>(values: readonly T[]): Parser<T> {
  return (value, path) => {
    if (typeof value !== "string") throw BatchErrors.wrongPropertyType(path, shownValue(value), `a string, one of: ${values.join(", ")}`);
    const match = values.find((known) => known.toLowerCase() === value.toLowerCase());
    if (match === undefined) throw BatchErrors.invalidPropertyValue(path, value, `The value must be one of: ${values.join(", ")}.`);
    return match;
  };
}

/** An ISO 8601 duration such as `PT15M` (Edm.Duration); a malformed one is `InvalidPropertyValue`. */
export const duration: Parser<string> = (value, path) => {
  if (typeof value !== "string") throw BatchErrors.wrongPropertyType(path, shownValue(value), "an ISO 8601 duration such as PT15M (Edm.Duration)");
  parseDuration(path, value);
  return value;
};

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 date-time with its offset (Edm.DateTimeOffset), kept as given. */
export const dateTime: Parser<string> = (value, path) => {
  if (typeof value !== "string") throw BatchErrors.wrongPropertyType(path, shownValue(value), "an ISO 8601 date-time (Edm.DateTimeOffset)");
  if (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw BatchErrors.invalidPropertyValue(path, value, "The value must be an ISO 8601 date-time such as 2025-01-31T12:00:00Z.");
  }
  return value;
};
