import type { BatchService } from "../../core/backend.js";
import type { Router } from "../http/router.js";
import { jsonBody } from "../http/json-body.js";
import { accessConditions } from "../protocol/access-condition-headers.js";
import { entityUrl } from "../protocol/entity-url.js";
import { acceptedResponse, createdResponse, entityResponse, listResponse, updatedResponse } from "../protocol/responses.js";
import { parseJobScheduleAdd } from "../protocol/schemas/job-schedule-add-schema.js";
import { expandOf } from "../protocol/expand.js";
import { parseJobSchedulePatch, parseJobScheduleUpdate } from "../protocol/schemas/job-schedule-update-schema.js";

/**
 * `/jobschedules`: add (201), list, get, exists (HEAD), patch and update (200), disable and enable
 * (204), terminate and delete (202), and the jobs of a schedule (`Job_ListFromJobSchedule`). The
 * statuses are the operations' in the REST specification (@azure/batch 10.2.0's operation specs).
 */
export function addJobScheduleRoutes(router: Router, batch: BatchService): void {
  router
    .add("POST", "/jobschedules", async (request) => createdResponse(await batch.jobSchedule.add(jsonBody(request, parseJobScheduleAdd))))
    .add("GET", "/jobschedules", async (request) => listResponse(request, await batch.jobSchedule.list(expandOf(request)), "jobschedules"))
    .add("GET", "/jobschedules/{jobScheduleId}", async (request) => {
      const jobSchedule = await batch.jobSchedule.get(request.params.jobScheduleId, { conditions: accessConditions(request), ...expandOf(request) });
      return entityResponse(request, jobSchedule, "jobschedules");
    })
    .add("HEAD", "/jobschedules/{jobScheduleId}", async (request) => {
      const jobSchedule = await batch.jobSchedule.get(request.params.jobScheduleId, { conditions: accessConditions(request) });
      return { ...entityResponse(request, jobSchedule, "jobschedules"), json: undefined };
    })
    .add("PATCH", "/jobschedules/{jobScheduleId}", async (request) => {
      const { jobScheduleId } = request.params;
      const jobSchedule = await batch.jobSchedule.patch(jobScheduleId, jsonBody(request, parseJobSchedulePatch), { conditions: accessConditions(request) });
      return updatedResponse({ ...jobSchedule, url: entityUrl(request, "jobschedules", jobScheduleId) });
    })
    .add("PUT", "/jobschedules/{jobScheduleId}", async (request) => {
      const { jobScheduleId } = request.params;
      const jobSchedule = await batch.jobSchedule.update(jobScheduleId, jsonBody(request, parseJobScheduleUpdate), { conditions: accessConditions(request) });
      return updatedResponse({ ...jobSchedule, url: entityUrl(request, "jobschedules", jobScheduleId) });
    })
    .add("DELETE", "/jobschedules/{jobScheduleId}", async (request) => {
      await batch.jobSchedule.delete(request.params.jobScheduleId, { conditions: accessConditions(request) });
      return acceptedResponse(202, entityUrl(request, "jobschedules", request.params.jobScheduleId));
    })
    .add("POST", "/jobschedules/{jobScheduleId}/disable", async (request) => {
      await batch.jobSchedule.disable(request.params.jobScheduleId, { conditions: accessConditions(request) });
      return acceptedResponse(204, entityUrl(request, "jobschedules", request.params.jobScheduleId));
    })
    .add("POST", "/jobschedules/{jobScheduleId}/enable", async (request) => {
      await batch.jobSchedule.enable(request.params.jobScheduleId, { conditions: accessConditions(request) });
      return acceptedResponse(204, entityUrl(request, "jobschedules", request.params.jobScheduleId));
    })
    .add("POST", "/jobschedules/{jobScheduleId}/terminate", async (request) => {
      await batch.jobSchedule.terminate(request.params.jobScheduleId, { conditions: accessConditions(request) });
      return acceptedResponse(202, entityUrl(request, "jobschedules", request.params.jobScheduleId));
    })
    .add("GET", "/jobschedules/{jobScheduleId}/jobs", async (request) =>
      listResponse(request, await batch.jobSchedule.listJobs(request.params.jobScheduleId), "jobs"),
    );
}
