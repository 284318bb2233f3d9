import type { PoolResizeParameter } from "../../../core/models/index.js";
import { object, optional, type Parser } from "../body-schema.js";
import { duration, enumOf, integer } from "../body-values.js";

/** `POST /pools/{poolId}/resize` (SPEC models.tsp `BatchPoolResizeOptions`). */
export const parsePoolResize: Parser<PoolResizeParameter> = object("PoolResizeParameter", {
  targetDedicatedNodes: optional(integer()),
  targetLowPriorityNodes: optional(integer()),
  resizeTimeout: optional(duration),
  nodeDeallocationOption: optional(enumOf(["requeue", "terminate", "taskcompletion", "retaineddata"])),
});
