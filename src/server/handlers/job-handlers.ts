import type { BatchService } from "../../core/backend.js";
import { BatchErrors } from "../../core/batch-errors.js";
import type { JobAddParameter } from "../../core/models/index.js";
import type { Router } from "../http/router.js";
import { jsonBody } from "../http/json-body.js";
import { apiVersionBefore } from "../protocol/api-version.js";
import { checkConditions } from "../protocol/conditions.js";
import { checkProperties, JOB_ADD } from "../protocol/known-properties.js";
import { acceptedResponse, createdResponse, entityResponse, listResponse } from "../protocol/responses.js";

/** `/jobs`: add, list, get, delete, terminate, task counts. */
export function addJobRoutes(router: Router, batch: BatchService): void {
  router
    .add("POST", "/jobs", async (request) => {
      const body = jsonBody(request);
      checkProperties(body, JOB_ADD);
      return createdResponse(await batch.job.add(body as unknown as JobAddParameter));
    })
    .add("GET", "/jobs", async (request) => listResponse(request, await batch.job.list(), "jobs"))
    .add("GET", "/jobs/{jobId}", async (request) => {
      const job = await batch.job.get(request.params.jobId as string);
      checkConditions(request, job, "read");
      return entityResponse(request, job, "jobs");
    })
    .add("DELETE", "/jobs/{jobId}", async (request) => {
      const job = await batch.job.get(request.params.jobId as string);
      checkConditions(request, job, "write");
      if (job.state === "deleting") throw BatchErrors.jobBeingDeleted(job.id);
      await batch.job.delete(job.id);
      return acceptedResponse(202, job.url);
    })
    .add("POST", "/jobs/{jobId}/terminate", async (request) => {
      const job = await batch.job.get(request.params.jobId as string);
      checkConditions(request, job, "write");
      const body = jsonBody(request, { optional: true });
      await batch.job.terminate(job.id, typeof body.terminateReason === "string" ? body.terminateReason : undefined);
      return acceptedResponse(202, job.url);
    })
    .add("GET", "/jobs/{jobId}/taskcounts", async (request) => {
      const counts = await batch.job.getTaskCounts(request.params.jobId as string);
      // Before 2020-09-01.12.0 the service answered with the task counts alone.
      const json = apiVersionBefore(request.apiVersion, "2020-09-01.12.0") ? { ...counts.taskCounts, validationStatus: "validated" } : counts;
      return { status: 200, json: { "odata.metadata": `${request.url.origin}/$metadata#taskcounts/@Element`, ...json } };
    });
}
