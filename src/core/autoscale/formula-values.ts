import { FormulaEvaluationError } from "./formula-errors.js";
import type { SampledMetric } from "./sampled-metric.js";

/**
 * The values of the formula language: `double`, `doubleVec`, `string`, `timestamp` (milliseconds
 * since the epoch), `timeinterval` (milliseconds), and the service's sampled metrics
 * (`$CPUPercent`, `$PendingTasks`, …), which are objects read through their methods.
 */
export type FormulaValue =
  | { type: "double"; value: number }
  | { type: "doubleVec"; value: number[] }
  | { type: "string"; value: string }
  | { type: "timestamp"; value: number }
  | { type: "timeinterval"; value: number }
  | { type: "metric"; value: SampledMetric };

export const double = (value: number): FormulaValue => ({ type: "double", value });
export const doubleVec = (value: number[]): FormulaValue => ({ type: "doubleVec", value });
export const text = (value: string): FormulaValue => ({ type: "string", value });
export const timestamp = (value: number): FormulaValue => ({ type: "timestamp", value });
export const timeinterval = (value: number): FormulaValue => ({ type: "timeinterval", value });

/** A double, or a one-element doubleVec (what `GetSample(1)` returns) taken as its element. */
export function asDouble(value: FormulaValue, where: string): number {
  if (value.type === "double") return value.value;
  if (value.type === "doubleVec" && value.value.length === 1) return value.value[0]!;
  throw new FormulaEvaluationError(`${where} expects a double, not ${describe(value)}`);
}

/** A doubleVecList flattened into one doubleVec: any mix of doubles and doubleVecs. */
export function flattenList(values: FormulaValue[], where: string): number[] {
  const flat: number[] = [];
  for (const value of values) {
    if (value.type === "double") flat.push(value.value);
    else if (value.type === "doubleVec") flat.push(...value.value);
    else throw new FormulaEvaluationError(`${where} expects a doubleVecList (doubles and doubleVecs), not ${describe(value)}`);
  }
  return flat;
}

/** Nonzero is true, zero is false (a one-element doubleVec counts as its element). */
export function isTrue(value: FormulaValue, where: string): boolean {
  return asDouble(value, where) !== 0;
}

export function describe(value: FormulaValue): string {
  return value.type === "metric" ? `the sampled metric ${value.value.name} (read it with GetSample())` : `a ${value.type}`;
}

/** A value as `AutoScaleRun.results` writes it (`$curTime=2016-10-13T19:18:47.805Z`). */
export function formatValue(value: FormulaValue): string {
  switch (value.type) {
    case "double":
      return formatNumber(value.value);
    case "doubleVec":
      return `[${value.value.map(formatNumber).join(",")}]`;
    case "string":
      return value.value;
    case "timestamp":
      return new Date(value.value).toISOString();
    case "timeinterval":
      return formatInterval(value.value);
    case "metric":
      return value.value.name;
  }
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  return String(Number(value.toPrecision(15)));
}

/** A time interval as .NET writes a TimeSpan (`[-][d.]hh:mm:ss[.fffffff]`). */
function formatInterval(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(ms);
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const fraction = Math.round((rest - seconds * 1000) * 10_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${sign}${days ? `${days}.` : ""}${pad(hours)}:${pad(minutes)}:${pad(seconds)}${fraction ? `.${String(fraction).padStart(7, "0")}` : ""}`;
}
