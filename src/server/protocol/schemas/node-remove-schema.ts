import type { NodeRemoveParameter } from "../../../core/models/index.js";
import { DEALLOCATION_OPTIONS } from "../../../core/validation/validate-node-remove.js";
import { arrayOf, object, optional, required, type Parser } from "../body-schema.js";
import { duration, enumOf, string } from "../body-values.js";

/** `POST /pools/{poolId}/removenodes` (SPEC models.tsp `BatchNodeRemoveOptions`, Swagger `NodeRemoveParameter`). */
export const parseNodeRemove: Parser<NodeRemoveParameter> = object("NodeRemoveParameter", {
  nodeList: required(arrayOf(string)),
  resizeTimeout: optional(duration),
  nodeDeallocationOption: optional(enumOf(DEALLOCATION_OPTIONS)),
});
