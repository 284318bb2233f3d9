/**
 * `$expand` on pools, jobs, job schedules and tasks (get and list): "An OData $expand clause"
 * whose values the service documents are `stats` (the entity's statistics, returned only when
 * asked for) and `metadata`. A comma-separated list; names compare ignoring case and spaces around
 * them. `metadata` changes nothing here: the entities always carry theirs. Any other name is a 400
 * `InvalidQueryParameterValue` naming `$expand`, as the service answers a query option it cannot
 * apply, rather than a silent answer without what was asked for.
 */
import type { ExpandOptions } from "../../core/backend.js";
import { queryValue, type BatchRequest } from "../http/batch-request.js";
import { invalidQueryParameterValue } from "./invalid-query-parameter.js";

const EXPANDABLE = new Set(["stats", "metadata"]);

export function parseExpand(expand: string | undefined): ExpandOptions {
  if (expand === undefined) return {};
  const names = expand
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== "");
  for (const name of names) {
    if (!EXPANDABLE.has(name)) throw invalidQueryParameterValue("$expand", expand, `'${name}' cannot be expanded: the values are 'stats' and 'metadata'.`);
  }
  return names.includes("stats") ? { withStats: true } : {};
}

/** The request's `$expand` as the backend's read options. */
export function expandOf(request: BatchRequest): ExpandOptions {
  return parseExpand(queryValue(request, "$expand"));
}
