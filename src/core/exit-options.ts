import type { DependencyAction, ExitConditions, ExitOptions, JobAction, TaskExecutionInformation } from "./models/index.js";

/** What the service does about one completed task: to its job, and to the tasks that depend on it. */
export interface ResolvedExitOptions {
  jobAction: JobAction;
  dependencyAction: DependencyAction;
}

/** Failure codes of a task stopped from outside (terminated, timed out): no start-up failure, so `default` applies. */
const ENDED_CODES: ReadonlySet<string> = new Set(["TaskEnded", "MaxWallClockTimeExpiry"]);

/** A failure to upload output files (REST `TaskFailureInformationCodes`: `FileUploadMiscError`, ...). */
function isFileUploadError(code: string | undefined): boolean {
  return code?.startsWith("FileUpload") ?? false;
}

function inRange(value: number, range: { start: number; end: number }): boolean {
  return value >= range.start && value <= range.end;
}

/** The options the task's exit code is mapped to by `exitCodes` (first) or `exitCodeRanges`. */
function mappedExitCode(conditions: ExitConditions | undefined, exitCode: number | undefined): ExitOptions | undefined {
  if (exitCode === undefined || !conditions) return undefined;
  return (
    conditions.exitCodes?.find((mapping) => mapping.code === exitCode)?.exitOptions ??
    conditions.exitCodeRanges?.find((mapping) => inRange(exitCode, mapping))?.exitOptions
  );
}

/**
 * The exit options that apply to a completed task (REST `ExitConditions`, `ExitOptions`):
 * - an exit code listed in `exitCodes` or `exitCodeRanges` decides, even when the upload of
 *   output files failed afterwards ("the action specified by the exit code takes precedence");
 * - else a file upload error takes `fileUploadError`, a task that could not start (a failure
 *   without an exit code: resource files, container, command line) `preProcessingError`, each
 *   falling back to `default`; any other non-zero exit takes `default`; exit code 0 takes no
 *   option ("if you want non-default behavior on exit code 0, you must list it explicitly");
 * - what is still unset takes the documented defaults: `jobAction` none and `dependencyAction`
 *   satisfy for a success, terminate and block for every other exit condition.
 */
export function resolveExitOptions(conditions: ExitConditions | undefined, info: TaskExecutionInformation): ResolvedExitOptions {
  const code = info.failureInfo?.code;
  const succeeded = info.result === "success";
  let chosen = mappedExitCode(conditions, info.exitCode);
  if (!chosen && !succeeded) {
    if (isFileUploadError(code)) chosen = conditions?.fileUploadError ?? conditions?.default;
    else if (info.exitCode === undefined && !ENDED_CODES.has(code ?? "")) chosen = conditions?.preProcessingError ?? conditions?.default;
    else chosen = conditions?.default;
  }
  const zeroExit = info.exitCode === 0 && !isFileUploadError(code);
  return {
    jobAction: chosen?.jobAction ?? (zeroExit ? "none" : "terminate"),
    dependencyAction: chosen?.dependencyAction ?? (zeroExit ? "satisfy" : "block"),
  };
}
