import { BatchErrors } from "../../../core/batch-errors.js";
import type { TaskAddParameter } from "../../../core/models/index.js";
import { arrayOf, object, required, type Parser } from "../body-schema.js";
import { parseTaskAdd } from "./task-add-schema.js";

/** The service takes at most this many tasks in one `addtaskcollection` request. */
export const MAX_TASKS_PER_REQUEST = 100;

const tasks = arrayOf(parseTaskAdd);

/** At most 100 tasks, counted before any of them is read. */
const taskList: Parser<TaskAddParameter[]> = (value, path) => {
  if (Array.isArray(value) && value.length > MAX_TASKS_PER_REQUEST) throw BatchErrors.tooManyTasks(value.length, MAX_TASKS_PER_REQUEST);
  return tasks(value, path);
};

/** `POST /jobs/{jobId}/addtaskcollection`: `{"value": [task, ...]}` (SPEC models.tsp `BatchTaskGroup`). */
export const parseTaskCollection: Parser<{ value: TaskAddParameter[] }> = object("TaskAddCollectionParameter", { value: required(taskList) });
