import type { BatchError } from "../../core/batch-error.js";
import { BatchErrors } from "../../core/batch-errors.js";
import { findUnservedOperation } from "../protocol/unserved-operations.js";
import type { RouteMatch } from "./router.js";

/**
 * The answer to a request no route serves. A Batch operation Malachite does not emulate yet is
 * 400 `UnsupportedOperation` naming it (BatchErrors.notEmulated says why that status), checked before
 * the router's verdict: `PATCH /pools/{poolId}` is an operation, not a verb the pool lacks. What is
 * left is no Batch operation at all: a known resource with another verb is 405, any other path 404.
 */
export function unroutedError(method: string, rawSegments: string[], pathname: string, match: Exclude<RouteMatch, { kind: "found" }>): BatchError {
  const operation = findUnservedOperation(method, rawSegments);
  if (operation) return BatchErrors.notEmulated(operation);
  if (match.kind === "method-not-allowed") return BatchErrors.unsupportedHttpVerb(method, match.allowed);
  return BatchErrors.resourceNotFound(pathname);
}
