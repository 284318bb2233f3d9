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

/** Milliseconds as an ISO 8601 duration in hours, minutes and seconds (`PT1H2M3.5S`, `PT0S`), as the service writes them. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = (total % 60_000) / 1000;
  const parts = `${hours ? `${hours}H` : ""}${minutes ? `${minutes}M` : ""}${seconds || (!hours && !minutes) ? `${seconds}S` : ""}`;
  return `PT${parts}`;
}
