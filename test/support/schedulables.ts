/** Builders of the scheduler's inputs (scheduling/plan-assignments.ts) for its tests. */
import type { SchedulableJob, SchedulableNode, SchedulableTask } from "../../src/backends/local/scheduling/plan-assignments.js";

/** A node with `usedSlots` taken: running when any are, idle otherwise. */
export function node(id: string, usedSlots = 0, extra: Partial<SchedulableNode> = {}): SchedulableNode {
  return { id, state: usedSlots > 0 ? "running" : "idle", schedulingState: "enabled", usedSlots, leaving: false, ...extra };
}

/** A one-slot task of job `job` on pool `pool`; its sequence is the number in its key. */
export function task(key: string, extra: Partial<SchedulableTask> = {}): SchedulableTask {
  const sequence = Number(key.replace(/\D/g, "")) || 0;
  return { key, jobKey: "job", poolKey: "pool", jobPriority: 0, jobSequence: 0, sequence, requiredSlots: 1, ...extra };
}

/** A job with no running task and no limit on parallel tasks. */
export const job: SchedulableJob = { runningTasks: 0, maxParallelTasks: -1 };
