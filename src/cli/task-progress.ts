import cliProgress from "cli-progress";
import type { CloudTask, TaskState } from "../core/models/index.js";
import { formatDuration } from "../workflow/format-duration.js";
import type { TaskWaitProgress } from "../workflow/wait-for-tasks.js";

const STATES: readonly TaskState[] = ["active", "preparing", "running", "completed"];

/** How many tasks are in each state, and how many of the completed ones failed. */
export interface TaskCounts {
  total: number;
  byState: Record<TaskState, number>;
  failed: number;
}

export function countTasks(tasks: readonly CloudTask[]): TaskCounts {
  const byState = Object.fromEntries(STATES.map((state) => [state, 0])) as Record<TaskState, number>;
  for (const task of tasks) byState[task.state] += 1;
  const failed = tasks.filter((task) => task.state === "completed" && task.executionInfo.result === "failure").length;
  return { total: tasks.length, byState, failed };
}

/** `[████░░░░] 2/3 completed | 0 active, 0 preparing, 1 running | 1 failed | elapsed 0:00:12` */
export function progressLine(counts: TaskCounts, bar: string, elapsedMs: number): string {
  const { byState } = counts;
  const waiting = `${byState.active} active, ${byState.preparing} preparing, ${byState.running} running`;
  const failed = counts.failed > 0 ? ` | ${counts.failed} failed` : "";
  return `Tasks [${bar}] ${byState.completed}/${counts.total} completed | ${waiting}${failed} | elapsed ${formatDuration(elapsedMs)}`;
}

/**
 * A live line on a terminal while the CLI monitors tasks (cli-progress redraws it in place, so
 * the elapsed time ticks between polls). Without a TTY there is no line: `undefined`, and the
 * caller prints the tutorial's own text unchanged.
 */
export function terminalTaskProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, now: () => number = Date.now): TaskWaitProgress | undefined {
  if (stream.isTTY !== true) return undefined;
  let counts = countTasks([]);
  let startedAt: number | undefined;
  const bar = new cliProgress.SingleBar({
    stream,
    fps: 4,
    barsize: 24,
    hideCursor: true,
    barCompleteChar: "\u2588",
    barIncompleteChar: "\u2591",
    format: (options, params) => progressLine(counts, cliProgress.Format.BarFormat(params.progress, options), now() - (startedAt ?? now())),
  });
  return {
    update(tasks) {
      counts = countTasks(tasks);
      if (startedAt === undefined) {
        startedAt = now();
        bar.start(counts.total, counts.byState.completed);
      } else {
        bar.setTotal(counts.total);
        bar.update(counts.byState.completed);
        // Polls are far apart (--poll-ms): show each one at once rather than at the next tick.
        bar.render();
      }
    },
    stop() {
      bar.stop();
    },
  };
}
