import { BatchErrors } from "../batch-errors.js";

/** The service's "infinite" duration (TimeSpan.MaxValue). */
export const INFINITE_DURATION = "P10675199DT2H48M5.4775807S";

const DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Parses an ISO 8601 duration (days, hours, minutes, seconds) into milliseconds. */
export function parseDuration(propertyName: string, value: string): number {
  const match = DURATION.exec(value);
  if (!match || value === "P" || value.endsWith("T")) {
    throw BatchErrors.invalidPropertyValue(propertyName, value, "The value must be an ISO 8601 duration such as PT15M.");
  }
  const [, days, hours, minutes, seconds] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return (((days as number) * 24 + (hours as number)) * 60 + (minutes as number)) * 60_000 + (seconds as number) * 1000;
}

/** Milliseconds to wait for an optional duration; undefined or "infinite" gives undefined. */
export function optionalDurationMs(propertyName: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(propertyName, value);
  return ms >= 10_675_199 * 86_400_000 ? undefined : ms;
}
