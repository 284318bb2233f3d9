import type { PoolEnableAutoScaleParameter, PoolEvaluateAutoScaleParameter } from "../../../core/models/index.js";
import { object, optional, required, type Parser } from "../body-schema.js";
import { duration, string } from "../body-values.js";

/** `POST /pools/{poolId}/enableautoscale` (SPEC models.tsp `BatchPoolEnableAutoScaleOptions`). */
export const parsePoolEnableAutoScale: Parser<PoolEnableAutoScaleParameter> = object("PoolEnableAutoScaleParameter", {
  autoScaleFormula: optional(string),
  autoScaleEvaluationInterval: optional(duration),
});

/** `POST /pools/{poolId}/evaluateautoscale` (SPEC models.tsp `BatchPoolEvaluateAutoScaleOptions`): the formula is required. */
export const parsePoolEvaluateAutoScale: Parser<PoolEvaluateAutoScaleParameter> = object("PoolEvaluateAutoScaleParameter", {
  autoScaleFormula: required(string),
});
