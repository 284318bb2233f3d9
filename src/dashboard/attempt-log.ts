import type { CloudTask } from "../core/models/index.js";
import type { TaskAttempt } from "./view-models.js";

/** States in which a task's execution information describes its current (or last) run. */
const RUN_STATES = new Set<CloudTask["state"]>(["preparing", "running", "completed"]);

/**
 * The runs of each task the dashboard has seen. The service reports only a task's latest run
 * (executionInfo: startTime, endTime, retryCount, requeueCount, lastRetryTime, lastRequeueTime;
 * nodeInfo: the node of that run, per the REST reference's TaskExecutionInformation), so the
 * earlier runs of a retried or requeued task are known only when they were seen while they ran.
 * A run is numbered by retryCount + requeueCount. A run followed by one with a higher retryCount
 * failed (the service retries only a failed run), though its exit code was never reported.
 */
export class AttemptLog {
  private readonly runs = new Map<string, Map<number, TaskAttempt>>();
  /** The retryCount each run was seen with. */
  private readonly retryCounts = new WeakMap<TaskAttempt, number>();

  /** Records what `task` says of its current run and returns its runs, oldest first. */
  observe(jobId: string, task: CloudTask): TaskAttempt[] {
    const key = `${jobId.toLowerCase()}/${task.id.toLowerCase()}`;
    let runs = this.runs.get(key);
    if (!runs) this.runs.set(key, (runs = new Map<number, TaskAttempt>()));
    const info = task.executionInfo;
    const attempt = info.retryCount + info.requeueCount;
    // A run numbered lower than one already seen means the task was re-added under the same id.
    if ([...runs.keys()].some((seen) => seen > attempt)) runs.clear();
    const nodeId = task.nodeInfo?.nodeId;
    if (RUN_STATES.has(task.state) && info.startTime && nodeId) {
      const run: TaskAttempt = { attempt, nodeId, start: info.startTime, end: info.endTime, exitCode: info.exitCode, result: info.result };
      runs.set(attempt, run);
      this.retryCounts.set(run, info.retryCount);
    }
    // A run left unfinished when a later one began ended at the retry or requeue.
    const ended = info.lastRetryTime ?? info.lastRequeueTime;
    for (const run of runs.values()) {
      if (run.attempt >= attempt || run.end) continue;
      run.end = ended;
      if ((this.retryCounts.get(run) ?? 0) < info.retryCount) run.result = "failure";
    }
    return [...runs.values()].sort((a, b) => a.attempt - b.attempt);
  }

  /** Forgets the runs of a job's tasks (the job is gone). */
  forgetJob(jobId: string): void {
    const prefix = `${jobId.toLowerCase()}/`;
    for (const key of this.runs.keys()) if (key.startsWith(prefix)) this.runs.delete(key);
  }
}
