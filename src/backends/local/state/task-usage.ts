import type { ProcessUsage } from "../docker/node-runtime.js";

/**
 * What a task's finished attempts used, summed over its retries and requeues: wall time on the
 * backend's clock, and the CPU time and disk I/O its node runtime reported (0 where it reports
 * none). Kept with the task record (and its journal line), so a restart keeps it; its statistics
 * (entity-statistics.ts) are computed from it.
 */
export interface TaskUsage extends ProcessUsage {
  wallMs: number;
}

export const NO_USAGE: TaskUsage = { wallMs: 0, userCpuMs: 0, kernelCpuMs: 0, readBytes: 0, writeBytes: 0, readOps: 0, writeOps: 0 };

export function addUsage(total: TaskUsage | undefined, more: Partial<TaskUsage> | undefined): TaskUsage {
  const base = total ?? NO_USAGE;
  return {
    wallMs: base.wallMs + (more?.wallMs ?? 0),
    userCpuMs: base.userCpuMs + (more?.userCpuMs ?? 0),
    kernelCpuMs: base.kernelCpuMs + (more?.kernelCpuMs ?? 0),
    readBytes: base.readBytes + (more?.readBytes ?? 0),
    writeBytes: base.writeBytes + (more?.writeBytes ?? 0),
    readOps: base.readOps + (more?.readOps ?? 0),
    writeOps: base.writeOps + (more?.writeOps ?? 0),
  };
}

/** The sums over a set of tasks, and how many of them succeeded, failed and were retried. */
export interface TaskTotals {
  usage: TaskUsage;
  waitMs: number;
  succeeded: number;
  failed: number;
  retries: number;
}

export const NO_TOTALS: TaskTotals = { usage: NO_USAGE, waitMs: 0, succeeded: 0, failed: 0, retries: 0 };

export function addTotals(a: TaskTotals, b: TaskTotals): TaskTotals {
  return {
    usage: addUsage(a.usage, b.usage),
    waitMs: a.waitMs + b.waitMs,
    succeeded: a.succeeded + b.succeeded,
    failed: a.failed + b.failed,
    retries: a.retries + b.retries,
  };
}
