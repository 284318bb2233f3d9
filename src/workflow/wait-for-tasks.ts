import type { BatchService } from "../core/backend.js";
import type { CloudTask } from "../core/models/index.js";
import { formatDuration } from "./format-duration.js";
import { realTimeClock, wakeSchedule, type WaitClock } from "./wake-schedule.js";

/**
 * A live view of the tasks being monitored (the CLI's terminal line, src/cli/task-progress.ts).
 * When one is given it replaces the tutorial's dots; `stop` ends the view on its own line.
 */
export interface TaskWaitProgress {
  update(tasks: readonly CloudTask[]): void;
  stop(): void;
}

export interface TaskWaitOptions {
  timeoutMs: number;
  /** The tutorial's poll interval: a dot per poll; with a service that cannot notify, the longest wait between reads. */
  pollMs: number;
  write: (text: string) => void;
  signal?: AbortSignal;
  progress?: TaskWaitProgress;
  /** Real time unless given (tests). */
  clock?: WaitClock;
}

/** What the tasks' states were at a read, to tell whether they moved on since the last one. */
function statesOf(tasks: readonly CloudTask[]): string {
  return tasks.map((task) => `${task.id}:${task.state}`).join("\n");
}

/**
 * Waits until all the job's tasks are `completed`, printing one dot per poll as the tutorial
 * does (or updating `progress` instead). The job's tasks are read at each poll and, when the
 * service notifies its changes, at each change too (without a dot), so the end is seen at once
 * (see `wakeSchedule`). Rejects when the timeout passes first, or when `signal` aborts.
 */
export async function waitForTasksToComplete(batch: BatchService, jobId: string, options: TaskWaitOptions): Promise<CloudTask[]> {
  const { progress, signal } = options;
  const clock = options.clock ?? realTimeClock;
  const deadline = clock.now() + options.timeoutMs;
  const schedule = wakeSchedule(batch, options.pollMs, clock, signal);
  options.write(`Monitoring all tasks for 'Completed' state, timeout in ${formatDuration(options.timeoutMs)}${progress ? "\n" : ""}`);
  try {
    let wake: "poll" | "change" = "poll";
    let states: string | undefined;
    while (clock.now() < deadline) {
      signal?.throwIfAborted();
      if (!progress && wake === "poll") options.write(".");
      const tasks = await batch.task.list(jobId);
      progress?.update(tasks);
      if (tasks.every((task) => task.state === "completed")) {
        if (!progress) options.write("\n");
        return tasks;
      }
      if (states !== undefined && statesOf(tasks) !== states) schedule.progressed();
      states = statesOf(tasks);
      wake = await schedule.next(deadline);
    }
    signal?.throwIfAborted();
    if (!progress) options.write("\n");
  } finally {
    schedule.close();
    progress?.stop();
  }
  throw new Error(`ERROR: Tasks did not reach 'Completed' state within timeout period of ${formatDuration(options.timeoutMs)}`);
}
