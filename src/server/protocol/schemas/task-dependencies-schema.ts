import type { ExitConditions, ExitOptions, TaskDependencies, TaskIdRange } from "../../../core/models/index.js";
import { arrayOf, object, optional, required, type Parser } from "../body-schema.js";
import { enumOf, integer, string } from "../body-values.js";

/** A task's `dependsOn` and `exitConditions` (SPEC models.tsp `BatchTaskDependencies`, `ExitConditions`). */

const taskIdRange: Parser<TaskIdRange> = object("TaskIdRange", { start: required(integer()), end: required(integer()) });

export const taskDependencies: Parser<TaskDependencies> = object("TaskDependencies", {
  taskIds: optional(arrayOf(string)),
  taskIdRanges: optional(arrayOf(taskIdRange)),
});

const exitOptions: Parser<ExitOptions> = object("ExitOptions", {
  jobAction: optional(enumOf(["none", "disable", "terminate"])),
  dependencyAction: optional(enumOf(["satisfy", "block"])),
});

export const exitConditions: Parser<ExitConditions> = object("ExitConditions", {
  exitCodes: optional(arrayOf(object("ExitCodeMapping", { code: required(integer()), exitOptions: required(exitOptions) }))),
  exitCodeRanges: optional(
    arrayOf(object("ExitCodeRangeMapping", { start: required(integer()), end: required(integer()), exitOptions: required(exitOptions) })),
  ),
  preProcessingError: optional(exitOptions),
  fileUploadError: optional(exitOptions),
  default: optional(exitOptions),
});
