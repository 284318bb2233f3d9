import type { PoolUsageMetricsQuery } from "../../core/models/index.js";
import type { BatchRequest } from "../http/batch-request.js";
import { invalidQueryParameterValue } from "./invalid-query-parameter.js";
import { parseIsoTimestamp } from "./odata-filter-timestamp.js";

/** `starttime` and `endtime` of `GET /poolusagemetrics` (ISO 8601 date-times, as every SDK sends them). */
export function usageMetricsQuery(request: BatchRequest): PoolUsageMetricsQuery {
  const query: PoolUsageMetricsQuery = {};
  for (const [name, key] of [
    ["starttime", "startTime"],
    ["endtime", "endTime"],
  ] as const) {
    const value = request.url.searchParams.get(name);
    if (value === null) continue;
    if (!parseIsoTimestamp(value, true) || Number.isNaN(Date.parse(value))) {
      throw invalidQueryParameterValue(name, value, "The value must be a date and time in ISO 8601 format.");
    }
    query[key] = new Date(Date.parse(value)).toISOString();
  }
  return query;
}
