import type { TaskUpdateParameter } from "../../../core/models/index.js";
import { object, optional, type Parser } from "../body-schema.js";
import { constraints } from "./task-add-schema.js";

/** `PUT /jobs/{jobId}/tasks/{taskId}` (SPEC models.tsp `BatchTaskUpdateOptions`, REST `TaskUpdateParameter`). */
export const parseTaskUpdate: Parser<TaskUpdateParameter> = object("TaskUpdateParameter", { constraints: optional(constraints) });
