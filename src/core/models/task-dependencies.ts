/**
 * Task dependencies and exit conditions, named as the REST API names them (`TaskDependencies`,
 * `TaskIdRange`, `ExitConditions`, `ExitOptions`, `ExitCodeMapping`, `ExitCodeRangeMapping`).
 */

/** Tasks `start` to `end` (inclusive) by the integer value of their ids: `9..12` is tasks `9`, `10`, `11`, `12`. */
export interface TaskIdRange {
  start: number;
  end: number;
}

/** What a task waits for: every task listed or in a range must complete and satisfy it. */
export interface TaskDependencies {
  taskIds?: string[];
  taskIdRanges?: TaskIdRange[];
}

export type JobAction = "none" | "disable" | "terminate";
export type DependencyAction = "satisfy" | "block";

/** How the service responds to one way a task can complete. */
export interface ExitOptions {
  /** Acted on only when the job's `onTaskFailure` is `performexitoptionsjobaction`. */
  jobAction?: JobAction;
  dependencyAction?: DependencyAction;
}

export interface ExitCodeMapping {
  code: number;
  exitOptions: ExitOptions;
}

export interface ExitCodeRangeMapping {
  start: number;
  end: number;
  exitOptions: ExitOptions;
}

/** How the service responds when the task completes (after its retries). */
export interface ExitConditions {
  exitCodes?: ExitCodeMapping[];
  exitCodeRanges?: ExitCodeRangeMapping[];
  /** The task could not start: resource files, container, command line (a failure without an exit code). */
  preProcessingError?: ExitOptions;
  /** Its output files could not be uploaded. */
  fileUploadError?: ExitOptions;
  /** Any other non-zero exit, and the two errors above when their own options are absent. */
  default?: ExitOptions;
}

/** `POST /jobs/{jobId}/disable` (REST `DisableJobOption`): what happens to the job's running tasks. */
export type DisableJobOption = "requeue" | "terminate" | "wait";
