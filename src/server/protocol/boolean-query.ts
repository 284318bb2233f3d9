import type { BatchRequest } from "../http/batch-request.js";
import { queryValue } from "../http/batch-request.js";
import { invalidQueryParameterValue } from "./invalid-query-parameter.js";

/** A boolean query parameter (`recursive`, `force`): `true` or `false` in any case; absent is undefined; anything else 400. */
export function booleanQuery(request: BatchRequest, name: string): boolean | undefined {
  const value = queryValue(request, name);
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw invalidQueryParameterValue(name, value, "The value must be true or false.");
}
