import type { BatchService } from "../../core/backend.js";
import { BatchErrors } from "../../core/batch-errors.js";
import type { TaskAddParameter } from "../../core/models/index.js";
import type { Router } from "../http/router.js";
import { jsonBody } from "../http/json-body.js";
import { checkConditions } from "../protocol/conditions.js";
import { checkProperties, TASK_ADD } from "../protocol/known-properties.js";
import { acceptedResponse, createdResponse, entityResponse, listResponse } from "../protocol/responses.js";
import { toVersionNames } from "../protocol/wire-names.js";

/** The service takes at most this many tasks in one `addtaskcollection` request. */
export const MAX_TASKS_PER_REQUEST = 100;

function taskCollection(body: Record<string, unknown>): TaskAddParameter[] {
  const tasks = body.value;
  if (!Array.isArray(tasks)) throw BatchErrors.missingProperty("value");
  if (tasks.length > MAX_TASKS_PER_REQUEST) throw BatchErrors.tooManyTasks(tasks.length, MAX_TASKS_PER_REQUEST);
  tasks.forEach((task, index) => {
    if (typeof task !== "object" || task === null) throw BatchErrors.invalidPropertyValue(`value[${index}]`, "(not an object)", "Each task must be an object.");
    checkProperties(task as Record<string, unknown>, TASK_ADD, `value[${index}].`);
  });
  return tasks as TaskAddParameter[];
}

/** `/jobs/{jobId}/tasks` and `/addtaskcollection`: add, list, get, delete, terminate. */
export function addTaskRoutes(router: Router, batch: BatchService): void {
  router
    .add("POST", "/jobs/{jobId}/tasks", async (request) => {
      const body = jsonBody(request);
      checkProperties(body, TASK_ADD);
      return createdResponse(await batch.task.add(request.params.jobId as string, body as unknown as TaskAddParameter));
    })
    .add("POST", "/jobs/{jobId}/addtaskcollection", async (request) => {
      const tasks = taskCollection(jsonBody(request));
      const value = await batch.task.addCollection(request.params.jobId as string, tasks);
      return { status: 200, json: { "odata.metadata": `${request.url.origin}/$metadata#taskaddresult`, value: toVersionNames(value, request.apiVersion) } };
    })
    .add("GET", "/jobs/{jobId}/tasks", async (request) => listResponse(request, await batch.task.list(request.params.jobId as string), "tasks"))
    .add("GET", "/jobs/{jobId}/tasks/{taskId}", async (request) => {
      const task = await batch.task.get(request.params.jobId as string, request.params.taskId as string);
      checkConditions(request, task, "read");
      return entityResponse(request, task, "tasks");
    })
    .add("DELETE", "/jobs/{jobId}/tasks/{taskId}", async (request) => {
      const task = await batch.task.get(request.params.jobId as string, request.params.taskId as string);
      checkConditions(request, task, "write");
      await batch.task.delete(request.params.jobId as string, task.id);
      return acceptedResponse(200);
    })
    .add("POST", "/jobs/{jobId}/tasks/{taskId}/terminate", async (request) => {
      const task = await batch.task.get(request.params.jobId as string, request.params.taskId as string);
      checkConditions(request, task, "write");
      await batch.task.terminate(request.params.jobId as string, task.id);
      return acceptedResponse(204, task.url);
    });
}
