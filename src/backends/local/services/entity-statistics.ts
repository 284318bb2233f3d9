/**
 * Task and job statistics (`$expand=stats`) from what the emulator recorded:
 *
 * - `wallClockTime`: each finished try's time from its start to its end (task-usage.ts), plus the
 *   running try's so far: "If a Task was retried, this includes the wall clock time of all the
 *   Task retries", and a running task counts "to the last time the statistics were updated".
 * - `waitTime`: from the task's creation to the start of its most recent execution
 *   (`executionInfo.startTime`): "If the task is retried due to failures, the wait time is the
 *   time to the most recent task execution". 0 for a task that never started.
 * - CPU time and I/O: what the node runtime reported for each try (the node agent's reading of
 *   the reaped process's CPU time and disk I/O); 0 where it reports none (container tasks,
 *   multi-instance tasks).
 * - A job's figures sum its current tasks'; a task counts as succeeded or failed once completed,
 *   by its `executionInfo.result`, and its retries are its `retryCount`.
 */
import type { CloudJob, CloudTask, JobStatistics, TaskStatistics } from "../../../core/models/index.js";
import { formatDuration } from "../../../core/validation/durations.js";
import { idKey } from "../../../core/validation/ids.js";
import type { JobRecord, TaskRecord } from "../state/records.js";
import type { LocalContext } from "./local-context.js";
import { addTotals, addUsage, NO_TOTALS, NO_USAGE, type TaskTotals, type TaskUsage } from "../state/task-usage.js";

const GIB = 1024 ** 3;

/** What a task used up to `nowMs`: its finished tries', and the running try's wall time. */
export function taskUsageAt(record: TaskRecord, nowMs: number): TaskUsage {
  const { state, executionInfo } = record.task;
  const start = executionInfo.startTime === undefined ? undefined : Date.parse(executionInfo.startTime);
  let usage = record.usage ?? NO_USAGE;
  // A run no try of which reported back (a multi-instance task's, or one that ended on a path
  // without the executor): its recorded start and end.
  if (!record.usage && state === "completed" && start !== undefined && executionInfo.endTime !== undefined) {
    usage = addUsage(usage, { wallMs: Date.parse(executionInfo.endTime) - start });
  }
  if (state === "running" && start !== undefined) usage = addUsage(usage, { wallMs: Math.max(0, nowMs - start) });
  return usage;
}

/** From the creation to the most recent start; 0 before any start. */
export function taskWaitMs(task: CloudTask): number {
  if (task.executionInfo.startTime === undefined) return 0;
  return Math.max(0, Date.parse(task.executionInfo.startTime) - Date.parse(task.creationTime));
}

function usageFields(usage: TaskUsage, waitMs: number) {
  return {
    userCPUTime: formatDuration(usage.userCpuMs),
    kernelCPUTime: formatDuration(usage.kernelCpuMs),
    wallClockTime: formatDuration(usage.wallMs),
    readIOps: usage.readOps,
    writeIOps: usage.writeOps,
    readIOGiB: usage.readBytes / GIB,
    writeIOGiB: usage.writeBytes / GIB,
    waitTime: formatDuration(waitMs),
  };
}

export function taskStatistics(record: TaskRecord, nowMs: number): TaskStatistics {
  const task = record.task;
  return {
    url: task.url ?? "",
    startTime: task.creationTime,
    lastUpdateTime: new Date(nowMs).toISOString(),
    ...usageFields(taskUsageAt(record, nowMs), taskWaitMs(task)),
  };
}

export function taskTotals(records: Iterable<TaskRecord>, nowMs: number): TaskTotals {
  let totals = NO_TOTALS;
  for (const record of records) {
    const { state, executionInfo } = record.task;
    totals = addTotals(totals, {
      usage: taskUsageAt(record, nowMs),
      waitMs: taskWaitMs(record.task),
      succeeded: state === "completed" && executionInfo.result === "success" ? 1 : 0,
      failed: state === "completed" && executionInfo.result === "failure" ? 1 : 0,
      retries: executionInfo.retryCount,
    });
  }
  return totals;
}

/** Job statistics (and job schedule and lifetime statistics, the same shape) from task totals. */
export function jobStatisticsOf(totals: TaskTotals, range: { url: string; startTime: string; nowMs: number }): JobStatistics {
  return {
    url: range.url,
    startTime: range.startTime,
    lastUpdateTime: new Date(range.nowMs).toISOString(),
    ...usageFields(totals.usage, totals.waitMs),
    numSucceededTasks: totals.succeeded,
    numFailedTasks: totals.failed,
    numTaskRetries: totals.retries,
  };
}

export function jobStatistics(job: CloudJob, tasks: Iterable<TaskRecord>, nowMs: number): JobStatistics {
  return jobStatisticsOf(taskTotals(tasks, nowMs), { url: job.url ?? "", startTime: job.creationTime, nowMs });
}

/** A job leaves the account: what its tasks used stays in the lifetime statistics. */
export function retireJob(ctx: LocalContext, record: JobRecord): void {
  if (ctx.state.jobs.get(idKey(record.job.id)) !== record) return; // removed already
  ctx.retired.retire(taskTotals(record.tasks.values(), ctx.clock.now()), record.job.creationTime);
}

/** Every job the account had: the current ones' tasks and what deleted jobs and tasks used. */
export function lifetimeJobStatistics(ctx: LocalContext): JobStatistics {
  const nowMs = ctx.clock.now();
  let totals = ctx.retired.totals;
  let since = ctx.retired.since ?? new Date(nowMs).toISOString();
  for (const job of ctx.state.jobs.values()) {
    totals = addTotals(totals, taskTotals(job.tasks.values(), nowMs));
    if (job.job.creationTime < since) since = job.job.creationTime;
  }
  return jobStatisticsOf(totals, { url: `${ctx.settings.accountUrl}/lifetimejobstats`, startTime: since, nowMs });
}
