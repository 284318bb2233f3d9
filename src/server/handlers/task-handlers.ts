import type { BatchService } from "../../core/backend.js";
import type { Router } from "../http/router.js";
import { jsonBody } from "../http/json-body.js";
import { accessConditions } from "../protocol/access-condition-headers.js";
import { entityUrl } from "../protocol/entity-url.js";
import { acceptedResponse, createdResponse, entityResponse, updatedResponse } from "../protocol/responses.js";
import { parseTaskAdd } from "../protocol/schemas/task-add-schema.js";
import { parseTaskCollection } from "../protocol/schemas/task-collection-schema.js";
import { parseTaskUpdate } from "../protocol/schemas/task-update-schema.js";
import { toVersionNames } from "../protocol/wire-names.js";
import { expandOf } from "../protocol/expand.js";
import { listTasks } from "./task-list-handler.js";

/** `/jobs/{jobId}/tasks` and `/addtaskcollection`: add, list, get, update, delete, terminate, reactivate, subtasks. */
export function addTaskRoutes(router: Router, batch: BatchService): void {
  router
    .add("POST", "/jobs/{jobId}/tasks", async (request) => createdResponse(await batch.task.add(request.params.jobId, jsonBody(request, parseTaskAdd))))
    .add("POST", "/jobs/{jobId}/addtaskcollection", async (request) => {
      const { value: tasks } = jsonBody(request, parseTaskCollection);
      const value = await batch.task.addCollection(request.params.jobId, tasks);
      return { status: 200, json: { "odata.metadata": `${request.url.origin}/$metadata#taskaddresult`, value: toVersionNames(value, request.apiVersion) } };
    })
    .add("GET", "/jobs/{jobId}/tasks", async (request) => listTasks(request, batch.task))
    .add("GET", "/jobs/{jobId}/tasks/{taskId}", async (request) => {
      const { jobId, taskId } = request.params;
      return entityResponse(request, await batch.task.get(jobId, taskId, { conditions: accessConditions(request), ...expandOf(request) }), "tasks");
    })
    .add("DELETE", "/jobs/{jobId}/tasks/{taskId}", async (request) => {
      const { jobId, taskId } = request.params;
      await batch.task.delete(jobId, taskId, { conditions: accessConditions(request) });
      return acceptedResponse(200);
    })
    .add("POST", "/jobs/{jobId}/tasks/{taskId}/terminate", async (request) => {
      const { jobId, taskId } = request.params;
      await batch.task.terminate(jobId, taskId, { conditions: accessConditions(request) });
      return acceptedResponse(204, entityUrl(request, "jobs", jobId, "tasks", taskId));
    })
    .add("PUT", "/jobs/{jobId}/tasks/{taskId}", async (request) => {
      const { jobId, taskId } = request.params;
      const task = await batch.task.update(jobId, taskId, jsonBody(request, parseTaskUpdate, { whenEmpty: () => ({}) }), {
        conditions: accessConditions(request),
      });
      return updatedResponse({ ...task, url: entityUrl(request, "jobs", jobId, "tasks", taskId) });
    })
    .add("POST", "/jobs/{jobId}/tasks/{taskId}/reactivate", async (request) => {
      const { jobId, taskId } = request.params;
      await batch.task.reactivate(jobId, taskId, { conditions: accessConditions(request) });
      return acceptedResponse(204, entityUrl(request, "jobs", jobId, "tasks", taskId));
    })
    .add("GET", "/jobs/{jobId}/tasks/{taskId}/subtasksinfo", async (request) => {
      const value = await batch.task.listSubtasks(request.params.jobId, request.params.taskId);
      return {
        status: 200,
        json: { "odata.metadata": `${request.url.origin}/$metadata#subtaskinformations`, value: toVersionNames(value, request.apiVersion) },
      };
    });
}
