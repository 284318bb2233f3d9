import { BatchErrors } from "../batch-errors.js";
import type { ExitConditions, ExitOptions, OnTaskFailure, TaskAddParameter } from "../models/index.js";
import { optionalArray, optionalEnum, optionalInteger, optionalObject } from "./checks.js";
import { validateId } from "./ids.js";

/** The combined length of `dependsOn.taskIds` the service stores (REST `TaskDependencies.taskIds`). */
export const MAX_DEPENDENCY_ID_CHARACTERS = 64_000;

const INT32 = { min: -2_147_483_648, max: 2_147_483_647 };

function validateRange(at: string, range: Record<string, unknown>): void {
  optionalInteger(`${at}.start`, range.start, INT32.min, INT32.max);
  optionalInteger(`${at}.end`, range.end, INT32.min, INT32.max);
  if (range.start === undefined || range.start === null) throw BatchErrors.missingProperty(`${at}.start`);
  if (range.end === undefined || range.end === null) throw BatchErrors.missingProperty(`${at}.end`);
  if ((range.start as number) > (range.end as number)) {
    throw BatchErrors.invalidPropertyValue(`${at}.end`, range.end, "The end of a range must not be less than its start.");
  }
}

/** `dependsOn`: valid task ids, at most 64,000 characters of them (`TaskDependencyListTooLong`), ranges with start ≤ end. */
export function validateTaskDependencies(name: string, value: unknown): void {
  const dependsOn = optionalObject(name, value);
  if (!dependsOn) return;
  let length = 0;
  optionalArray(`${name}.taskIds`, dependsOn.taskIds).forEach((id, index) => {
    length += validateId(`${name}.taskIds[${index}]`, id).length;
  });
  if (length > MAX_DEPENDENCY_ID_CHARACTERS) throw BatchErrors.taskDependencyListTooLong(length);
  optionalArray(`${name}.taskIdRanges`, dependsOn.taskIdRanges).forEach((item, index) => {
    const at = `${name}.taskIdRanges[${index}]`;
    validateRange(at, optionalObject(at, item) ?? {});
  });
}

function validateExitOptions(name: string, value: unknown): void {
  const options = optionalObject(name, value);
  if (!options) return;
  optionalEnum(`${name}.jobAction`, options.jobAction, ["none", "disable", "terminate"]);
  optionalEnum(`${name}.dependencyAction`, options.dependencyAction, ["satisfy", "block"]);
}

/** `exitConditions`: integer exit codes, ranges with start ≤ end, known actions. */
export function validateExitConditions(name: string, value: unknown): void {
  const conditions = optionalObject(name, value);
  if (!conditions) return;
  optionalArray(`${name}.exitCodes`, conditions.exitCodes).forEach((item, index) => {
    const at = `${name}.exitCodes[${index}]`;
    const mapping = optionalObject(at, item) ?? {};
    if (mapping.code === undefined || mapping.code === null) throw BatchErrors.missingProperty(`${at}.code`);
    optionalInteger(`${at}.code`, mapping.code, INT32.min, INT32.max);
    if (!mapping.exitOptions) throw BatchErrors.missingProperty(`${at}.exitOptions`);
    validateExitOptions(`${at}.exitOptions`, mapping.exitOptions);
  });
  optionalArray(`${name}.exitCodeRanges`, conditions.exitCodeRanges).forEach((item, index) => {
    const at = `${name}.exitCodeRanges[${index}]`;
    const mapping = optionalObject(at, item) ?? {};
    validateRange(at, mapping);
    if (!mapping.exitOptions) throw BatchErrors.missingProperty(`${at}.exitOptions`);
    validateExitOptions(`${at}.exitOptions`, mapping.exitOptions);
  });
  for (const key of ["preProcessingError", "fileUploadError", "default"] as const) validateExitOptions(`${name}.${key}`, conditions[key]);
}

/** Every `exitOptions` of the conditions with the path it is at. */
function allExitOptions(conditions: ExitConditions): [string, ExitOptions][] {
  const found: [string, ExitOptions][] = [];
  conditions.exitCodes?.forEach((mapping, index) => found.push([`exitConditions.exitCodes[${index}].exitOptions`, mapping.exitOptions]));
  conditions.exitCodeRanges?.forEach((mapping, index) => found.push([`exitConditions.exitCodeRanges[${index}].exitOptions`, mapping.exitOptions]));
  for (const key of ["preProcessingError", "fileUploadError", "default"] as const) {
    const options = conditions[key];
    if (options) found.push([`exitConditions.${key}`, options]);
  }
  return found;
}

/** What of a job decides whether a task may be added to it. */
export interface TaskDependencyJob {
  id: string;
  usesTaskDependencies: boolean;
  onTaskFailure: OnTaskFailure;
}

/**
 * The rules that depend on the job (REST `BatchTaskCreateOptions.dependsOn`, `ExitOptions.jobAction`):
 * `dependsOn` in a job without `usesTaskDependencies` is 400 `TaskDependenciesNotSpecifiedOnJob`;
 * a `jobAction` in a job whose `onTaskFailure` is `noaction` is 400 `InvalidPropertyValue`.
 */
export function validateTaskForJob(job: TaskDependencyJob, task: Pick<TaskAddParameter, "dependsOn" | "exitConditions">): void {
  if (task.dependsOn !== undefined && !job.usesTaskDependencies) throw BatchErrors.taskDependenciesNotSpecifiedOnJob(job.id);
  if (!task.exitConditions || job.onTaskFailure === "performexitoptionsjobaction") return;
  for (const [path, options] of allExitOptions(task.exitConditions)) {
    if (options.jobAction !== undefined) {
      throw BatchErrors.invalidPropertyValue(
        `${path}.jobAction`,
        options.jobAction,
        "A jobAction can be specified only when the job's onTaskFailure is performexitoptionsjobaction.",
      );
    }
  }
}
