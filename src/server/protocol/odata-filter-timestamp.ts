/**
 * Timestamps in `$filter` expressions and entity properties: ISO 8601 (W3C) or RFC 1123, kept to
 * the nanosecond, since Batch writes 7 fractional digits.
 */

export interface Timestamp {
  /** Milliseconds since the epoch. */
  ms: number;
  /** Nanoseconds beyond `ms` (0..999999). */
  ns: number;
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;
const RFC_1123 =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), *)?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (?:GMT|UTC|Z)$/i;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** Milliseconds since the epoch for a UTC calendar time, or undefined when it does not exist. */
function utcMilliseconds(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year); // Date.UTC maps years 0..99 to 1900..1999
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return undefined; // e.g. 30 February
  return date.getTime();
}

/** An ISO 8601 timestamp; a date-time without an offset is UTC. `requireTime` rejects a bare date. */
export function parseIsoTimestamp(text: string, requireTime: boolean): Timestamp | undefined {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (requireTime && h === undefined) return undefined;
  let ms = utcMilliseconds(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  if (ms === undefined) return undefined;
  if (zone && zone !== "Z" && zone !== "z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMinutes = Number(digits.slice(2));
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    ms -= sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  }
  const nanos = frac ? Number(frac.padEnd(9, "0")) : 0;
  return { ms: ms + Math.floor(nanos / 1_000_000), ns: nanos % 1_000_000 };
}

function parseRfc1123Timestamp(text: string): Timestamp | undefined {
  const m = RFC_1123.exec(text);
  if (!m) return undefined;
  const [, d, mon, y, h, mi, s] = m;
  const ms = utcMilliseconds(Number(y), MONTHS.indexOf(mon!.toLowerCase()) + 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  return ms === undefined ? undefined : { ms, ns: 0 };
}

/** A timestamp in either format the Batch docs allow for `DateTime'…'` literals. */
export function parseTimestamp(text: string): Timestamp | undefined {
  const trimmed = text.trim();
  return parseIsoTimestamp(trimmed, false) ?? parseRfc1123Timestamp(trimmed);
}

/** -1, 0 or 1. */
export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  return a.ms !== b.ms ? Math.sign(a.ms - b.ms) : Math.sign(a.ns - b.ns);
}
