import type { BatchService, JobForceOptions } from "../../core/backend.js";
import type { Router } from "../http/router.js";
import { jsonBody } from "../http/json-body.js";
import { accessConditions } from "../protocol/access-condition-headers.js";
import { apiVersionBefore } from "../protocol/api-version.js";
import { booleanQuery } from "../protocol/boolean-query.js";
import type { BatchRequest } from "../http/batch-request.js";
import { entityUrl } from "../protocol/entity-url.js";
import { acceptedResponse, createdResponse, entityResponse, listResponse, updatedResponse } from "../protocol/responses.js";
import { parseJobAdd } from "../protocol/schemas/job-add-schema.js";
import { expandOf } from "../protocol/expand.js";
import { lifetimeStatisticsResponse, requireRetiredOperation } from "../protocol/lifetime-statistics.js";
import { parseJobDisable } from "../protocol/schemas/job-disable-schema.js";
import { parseJobTerminate } from "../protocol/schemas/job-terminate-schema.js";
import { parseJobPatch, parseJobUpdate } from "../protocol/schemas/job-update-schema.js";

/** The conditions, and `force` when set: a query parameter of delete and terminate since api-version 2024-07-01.20.0 (SPEC routes.tsp). */
function forceOptions(request: BatchRequest): JobForceOptions {
  const force = !apiVersionBefore(request.apiVersion, "2024-07-01.20.0") && booleanQuery(request, "force") === true;
  return { conditions: accessConditions(request), ...(force ? { force } : {}) };
}

/** `/jobs`: add, list, get (`$expand=stats`), `/lifetimejobstats`, patch, update, delete, terminate, disable, enable, task counts. */
export function addJobRoutes(router: Router, batch: BatchService): void {
  router
    .add("POST", "/jobs", async (request) => createdResponse(await batch.job.add(jsonBody(request, parseJobAdd))))
    .add("GET", "/jobs", async (request) => listResponse(request, await batch.job.list(expandOf(request)), "jobs"))
    .add("GET", "/jobs/{jobId}", async (request) => {
      const job = await batch.job.get(request.params.jobId, { conditions: accessConditions(request), ...expandOf(request) });
      return entityResponse(request, job, "jobs");
    })
    .add("GET", "/lifetimejobstats", async (request) => {
      requireRetiredOperation(request);
      return lifetimeStatisticsResponse(await batch.job.getAllLifetimeStatistics());
    })
    .add("PATCH", "/jobs/{jobId}", async (request) => {
      const job = await batch.job.patch(request.params.jobId, jsonBody(request, parseJobPatch), { conditions: accessConditions(request) });
      return updatedResponse({ ...job, url: entityUrl(request, "jobs", request.params.jobId) });
    })
    .add("PUT", "/jobs/{jobId}", async (request) => {
      const job = await batch.job.update(request.params.jobId, jsonBody(request, parseJobUpdate), { conditions: accessConditions(request) });
      return updatedResponse({ ...job, url: entityUrl(request, "jobs", request.params.jobId) });
    })
    .add("DELETE", "/jobs/{jobId}", async (request) => {
      await batch.job.delete(request.params.jobId, forceOptions(request));
      return acceptedResponse(202, entityUrl(request, "jobs", request.params.jobId));
    })
    .add("POST", "/jobs/{jobId}/terminate", async (request) => {
      const { terminateReason } = jsonBody(request, parseJobTerminate, { whenEmpty: () => ({}) });
      await batch.job.terminate(request.params.jobId, terminateReason, forceOptions(request));
      return acceptedResponse(202, entityUrl(request, "jobs", request.params.jobId));
    })
    .add("POST", "/jobs/{jobId}/disable", async (request) => {
      const { disableTasks } = jsonBody(request, parseJobDisable);
      await batch.job.disable(request.params.jobId, disableTasks, { conditions: accessConditions(request) });
      return acceptedResponse(202, entityUrl(request, "jobs", request.params.jobId));
    })
    .add("POST", "/jobs/{jobId}/enable", async (request) => {
      await batch.job.enable(request.params.jobId, { conditions: accessConditions(request) });
      return acceptedResponse(202, entityUrl(request, "jobs", request.params.jobId));
    })
    .add("GET", "/jobs/{jobId}/jobpreparationandreleasetaskstatus", async (request) =>
      listResponse(request, await batch.job.listPreparationAndReleaseTaskStatus(request.params.jobId), "jobpreparationandreleasetaskstatus"),
    )
    .add("GET", "/jobs/{jobId}/taskcounts", async (request) => {
      const counts = await batch.job.getTaskCounts(request.params.jobId);
      // Before 2020-09-01.12.0 the service answered with the task counts alone.
      const json = apiVersionBefore(request.apiVersion, "2020-09-01.12.0") ? { ...counts.taskCounts, validationStatus: "validated" } : counts;
      return { status: 200, json: { "odata.metadata": `${request.url.origin}/$metadata#taskcounts/@Element`, ...json } };
    });
}
