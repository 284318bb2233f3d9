import type { BatchService } from "../core/backend.js";
import type { CloudTask } from "../core/models/index.js";
import { formatDuration } from "./format-duration.js";

/**
 * Polls the job's tasks until all are `completed`, printing one dot per poll as the tutorial
 * does. Rejects when the timeout passes first, or when `signal` aborts.
 */
export async function waitForTasksToComplete(
  batch: BatchService,
  jobId: string,
  options: { timeoutMs: number; pollMs: number; write: (text: string) => void; signal?: AbortSignal },
): Promise<CloudTask[]> {
  const deadline = Date.now() + options.timeoutMs;
  options.write(`Monitoring all tasks for 'Completed' state, timeout in ${formatDuration(options.timeoutMs)}`);
  while (Date.now() < deadline) {
    options.signal?.throwIfAborted();
    options.write(".");
    const tasks = await batch.task.list(jobId);
    if (tasks.every((task) => task.state === "completed")) {
      options.write("\n");
      return tasks;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollMs, Math.max(0, deadline - Date.now()))));
  }
  options.write("\n");
  throw new Error(`ERROR: Tasks did not reach 'Completed' state within timeout period of ${formatDuration(options.timeoutMs)}`);
}
