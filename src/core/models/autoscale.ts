import type { NameValuePair } from "./common.js";

/** An error of an autoscale run (REST `AutoScaleRunError`). */
export interface AutoScaleRunError {
  code: string;
  message: string;
  values?: NameValuePair[];
}

/** The outcome of the last evaluation of a pool's formula (REST `AutoScaleRun`). */
export interface AutoScaleRun {
  timestamp: string;
  /** `$variable=value` pairs separated by semicolons. */
  results?: string;
  error?: AutoScaleRunError;
}

/** `POST /pools/{poolId}/enableautoscale`. */
export interface PoolEnableAutoScaleParameter {
  autoScaleFormula?: string;
  autoScaleEvaluationInterval?: string;
}

/** `POST /pools/{poolId}/evaluateautoscale`. */
export interface PoolEvaluateAutoScaleParameter {
  autoScaleFormula: string;
}
