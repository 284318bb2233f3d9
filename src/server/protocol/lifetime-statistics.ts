/**
 * `GET /lifetimepoolstats` and `/lifetimejobstats` (Pool_GetAllLifetimeStatistics,
 * Job_GetAllLifetimeStatistics): operations of the api-versions up to 2022-10-01.16.0, which
 * @azure/batch 10.x and azure-batch 13.x call. api-version 2023-05-01.17.0 dropped them (the
 * Python SDK's 14.0.0 notes: "Removed lifetime statistics API"), so a later api-version has no
 * such resource: 404, as for another version's operation (node-handlers.ts).
 */
import { BatchErrors } from "../../core/batch-errors.js";
import type { BatchRequest, BatchResponse } from "../http/batch-request.js";
import { apiVersionBefore } from "./api-version.js";

/** The first api-version without the lifetime statistics operations. */
export const LIFETIME_STATISTICS_REMOVED_IN = "2023-05-01.17.0";

export function requireRetiredOperation(request: BatchRequest): void {
  if (!apiVersionBefore(request.apiVersion, LIFETIME_STATISTICS_REMOVED_IN)) {
    throw BatchErrors.resourceNotFound(`${request.url.pathname} (api-versions before ${LIFETIME_STATISTICS_REMOVED_IN})`);
  }
}

/** The statistics as the body (the service's examples answer them bare, with their own `url`). */
export function lifetimeStatisticsResponse(statistics: object): BatchResponse {
  return { status: 200, json: { ...statistics } };
}
