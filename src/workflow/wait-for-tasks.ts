import type { BatchService } from "../core/backend.js";
import type { CloudTask } from "../core/models/index.js";
import { formatDuration } from "./format-duration.js";

/**
 * A live view of the tasks being monitored (the CLI's terminal line, src/cli/task-progress.ts).
 * When one is given it replaces the tutorial's dots; `stop` ends the view on its own line.
 */
export interface TaskWaitProgress {
  update(tasks: readonly CloudTask[]): void;
  stop(): void;
}

/**
 * Polls the job's tasks until all are `completed`, printing one dot per poll as the tutorial
 * does (or updating `progress` instead). Rejects when the timeout passes first, or when `signal` aborts.
 */
export async function waitForTasksToComplete(
  batch: BatchService,
  jobId: string,
  options: { timeoutMs: number; pollMs: number; write: (text: string) => void; signal?: AbortSignal; progress?: TaskWaitProgress },
): Promise<CloudTask[]> {
  const { progress } = options;
  const deadline = Date.now() + options.timeoutMs;
  options.write(`Monitoring all tasks for 'Completed' state, timeout in ${formatDuration(options.timeoutMs)}${progress ? "\n" : ""}`);
  try {
    while (Date.now() < deadline) {
      options.signal?.throwIfAborted();
      if (!progress) options.write(".");
      const tasks = await batch.task.list(jobId);
      progress?.update(tasks);
      if (tasks.every((task) => task.state === "completed")) {
        if (!progress) options.write("\n");
        return tasks;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollMs, Math.max(0, deadline - Date.now()))));
    }
    if (!progress) options.write("\n");
  } finally {
    progress?.stop();
  }
  throw new Error(`ERROR: Tasks did not reach 'Completed' state within timeout period of ${formatDuration(options.timeoutMs)}`);
}
