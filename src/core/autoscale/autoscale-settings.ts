import { BatchErrors } from "../batch-errors.js";
import type { PoolAddParameter } from "../models/index.js";
import { parseDuration } from "../validation/durations.js";
import { compileFormula } from "./autoscale-formula.js";
import type { Statement } from "./formula-ast.js";

/** The service's default evaluation interval, and its bounds: 5 minutes to 168 hours (REST `autoScaleEvaluationInterval`). */
export const DEFAULT_EVALUATION_INTERVAL = "PT15M";
const MIN_INTERVAL_MS = 5 * 60_000;
const MAX_INTERVAL_MS = 168 * 3_600_000;

/** The interval in milliseconds; outside 5 minutes to 168 hours the service answers 400 InvalidPropertyValue. */
export function evaluationIntervalMs(interval: string): number {
  const ms = parseDuration("autoScaleEvaluationInterval", interval);
  if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
    throw BatchErrors.invalidPropertyValue("autoScaleEvaluationInterval", interval, "The value must be between 5 minutes and 168 hours.");
  }
  return ms;
}

/**
 * The autoscale settings of a new pool (REST `BatchPoolCreateOptions`): with `enableAutoScale`
 * the formula is required and the target node counts "must not be specified"; without it the
 * formula and interval must not be. Gives the parsed formula of an autoscale pool.
 */
export function validatePoolAddAutoScale(pool: PoolAddParameter): Statement[] | undefined {
  if (pool.enableAutoScale !== true) {
    for (const name of ["autoScaleFormula", "autoScaleEvaluationInterval"] as const) {
      if (pool[name] !== undefined)
        throw BatchErrors.invalidPropertyValue(name, pool[name], "The property can be specified only when enableAutoScale is true.");
    }
    return undefined;
  }
  for (const name of ["targetDedicatedNodes", "targetLowPriorityNodes"] as const) {
    if (pool[name] !== undefined) throw BatchErrors.invalidPropertyValue(name, pool[name], "The property must not be specified when enableAutoScale is true.");
  }
  if (pool.autoScaleFormula === undefined) throw BatchErrors.missingProperty("autoScaleFormula");
  if (pool.autoScaleEvaluationInterval !== undefined) evaluationIntervalMs(pool.autoScaleEvaluationInterval);
  return compileFormula(pool.autoScaleFormula);
}
