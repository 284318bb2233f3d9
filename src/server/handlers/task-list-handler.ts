import type { TaskOperations } from "../../core/backend.js";
import type { CloudTask, TaskState } from "../../core/models/index.js";
import type { BatchRequest, BatchResponse } from "../http/batch-request.js";
import { requiredEquality } from "../protocol/odata-filter-equality.js";
import { pagedListResponse } from "../protocol/paged-list-response.js";
import { listResponse } from "../protocol/responses.js";
import { expandOf } from "../protocol/expand.js";

const TASK_STATES: readonly TaskState[] = ["active", "preparing", "running", "completed"];

/** The task state a `$filter` requires (`state eq 'running' and …`); values compare case-insensitively, as the filter does. */
function requiredState(expression: string): TaskState | undefined {
  const value = requiredEquality(expression, "state")?.toLowerCase();
  return TASK_STATES.find((state) => state === value);
}

/**
 * `GET /jobs/{jobId}/tasks`: read page by page from a backend that can (`TaskOperations.listPage`,
 * with the state the filter requires so it can read that state's tasks only); otherwise the
 * whole list, then filtered and paged.
 */
export async function listTasks(request: BatchRequest<{ jobId: string }>, tasks: TaskOperations): Promise<BatchResponse> {
  const jobId = request.params.jobId;
  const expand = expandOf(request);
  if (!tasks.listPage) return listResponse(request, await tasks.list(jobId, expand), "tasks");
  const listPage = tasks.listPage.bind(tasks);
  return pagedListResponse(request, "tasks", async ({ skip, maxResults, filter }) => {
    const state = filter ? requiredState(filter.expression) : undefined;
    return listPage(jobId, {
      ...expand,
      skip,
      maxResults,
      ...(state ? { state } : {}),
      ...(filter ? { matches: (task: CloudTask) => filter.matches(task) } : {}),
    });
  });
}
