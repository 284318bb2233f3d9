import type { JobState } from "../../../core/models/index.js";
import { newETag, nowIso } from "../state/clock.js";
import type { JobRecord } from "../state/records.js";

export function setJobState(job: JobRecord, state: JobState): void {
  const j = job.job;
  if (j.state === state) return;
  j.previousState = j.state;
  j.previousStateTransitionTime = j.stateTransitionTime;
  j.state = state;
  j.stateTransitionTime = nowIso();
  j.eTag = newETag();
  j.lastModified = j.stateTransitionTime;
}

function runningTasks(job: JobRecord): number {
  let count = 0;
  for (const record of job.tasks.values()) if (record.task.state === "running") count++;
  return count;
}

/** Job state changes that follow from what its tasks do: terminate, and `onAllTasksComplete`. */
export class JobLifecycle {
  /** Ends running tasks and completes the job once they have stopped. */
  terminate(job: JobRecord, terminateReason: string): void {
    if (job.job.state === "completed" || job.job.state === "terminating" || job.job.state === "deleting") return;
    setJobState(job, "terminating");
    job.job.executionInfo.terminateReason = terminateReason;
    for (const record of job.tasks.values()) record.abort?.abort("terminate");
    this.completeIfStopped(job);
  }

  /** `constraints.maxWallClockTime`: the job is terminated with `MaxWallClockTimeExpiry` when it runs longer. */
  enforceWallClock(job: JobRecord, limitMs: number | undefined): void {
    if (limitMs === undefined) return;
    setTimeout(() => this.terminate(job, "MaxWallClockTimeExpiry"), limitMs).unref();
  }

  onTaskCompleted(job: JobRecord): void {
    if (job.job.state === "terminating") {
      this.completeIfStopped(job);
      return;
    }
    if (job.job.state !== "active" || job.job.onAllTasksComplete !== "terminatejob") return;
    const allDone = [...job.tasks.values()].every((record) => record.task.state === "completed");
    if (allDone) this.terminate(job, "AllTasksComplete");
  }

  private completeIfStopped(job: JobRecord): void {
    if (runningTasks(job) > 0) return;
    job.job.executionInfo.endTime = nowIso();
    setJobState(job, "completed");
  }
}
