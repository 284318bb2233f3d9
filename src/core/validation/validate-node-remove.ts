import { BatchErrors } from "../batch-errors.js";
import type { ComputeNodeDeallocationOption, NodeRemoveParameter } from "../models/index.js";
import { optionalEnum } from "./checks.js";
import { optionalResizeTimeout } from "./resize-timeout.js";

export const DEALLOCATION_OPTIONS: readonly ComputeNodeDeallocationOption[] = ["requeue", "terminate", "taskcompletion", "retaineddata"];

/** The service removes at most 100 nodes per request (REST `NodeRemoveParameter.nodeList`). */
export const MAX_NODES_REMOVED = 100;

/** The service's rules for Pool_RemoveNodes' body; throws the 400 error the service answers with. */
export function validateNodeRemove(remove: NodeRemoveParameter): void {
  const input = remove as unknown as Record<string, unknown>;
  if (input.nodeList === undefined || input.nodeList === null) throw BatchErrors.missingProperty("nodeList");
  if (!Array.isArray(input.nodeList) || input.nodeList.some((id) => typeof id !== "string")) {
    throw BatchErrors.invalidPropertyValue("nodeList", input.nodeList, "nodeList is a list of compute node ids.");
  }
  if (input.nodeList.length === 0 || input.nodeList.length > MAX_NODES_REMOVED) {
    throw BatchErrors.invalidPropertyValue("nodeList", input.nodeList.length, `nodeList names between 1 and ${MAX_NODES_REMOVED} compute nodes.`);
  }
  optionalResizeTimeout(input.resizeTimeout);
  optionalEnum("nodeDeallocationOption", input.nodeDeallocationOption, DEALLOCATION_OPTIONS);
}
