import type { Clock, Timer } from "../state/clock.js";
import { isoNow } from "../state/clock.js";
import type { JobStates } from "../state/job-state.js";
import type { JobRecord } from "../state/records.js";
import { jobManagerEndsJob } from "./job-manager.js";

function hasRunningTasks(job: JobRecord): boolean {
  for (const record of job.tasks.values()) if (record.abort) return true;
  return false;
}

/** Job state changes that follow from what its tasks do: terminate, wall clock, and `onAllTasksComplete`. */
export class JobLifecycle {
  private readonly wallClocks = new Map<JobRecord, Timer>();
  /** True while a terminating job must not complete yet (its release tasks run, job-release.ts); `resume` is called once it may. */
  holdCompletion: (job: JobRecord, resume: () => void) => boolean = () => false;

  constructor(
    private readonly jobs: JobStates,
    private readonly clock: Clock,
  ) {}

  /** Ends running tasks and completes the job once they have stopped. */
  terminate(job: JobRecord, terminateReason: string): void {
    const state = job.job.state;
    if (state === "completed" || state === "terminating" || state === "deleting") return;
    this.jobs.transition(job, "terminating", { executionInfo: { ...job.job.executionInfo, terminateReason } });
    for (const record of job.tasks.values()) record.abort?.abort("terminate");
    this.completeIfStopped(job);
  }

  /** `constraints.maxWallClockTime`: the job is terminated with `MaxWallClockTimeExpiry` when it runs longer. */
  enforceWallClock(job: JobRecord, limitMs: number | undefined): void {
    if (limitMs === undefined) return;
    this.wallClocks.set(
      job,
      this.clock.setTimer(limitMs, () => this.terminate(job, "MaxWallClockTimeExpiry")),
    );
  }

  /** The job is gone: its timers stop. */
  forget(job: JobRecord): void {
    this.wallClocks.get(job)?.cancel();
    this.wallClocks.delete(job);
  }

  onTaskCompleted(job: JobRecord): void {
    if (job.job.state === "terminating") {
      this.completeIfStopped(job);
      return;
    }
    if (job.job.state === "active" && jobManagerEndsJob(job)) {
      this.terminate(job, "JMComplete");
      return;
    }
    if (job.job.state !== "active" || job.job.onAllTasksComplete !== "terminatejob") return;
    const allDone = [...job.tasks.values()].every((record) => record.task.state === "completed");
    if (allDone) this.terminate(job, "AllTasksComplete");
  }

  private completeIfStopped(job: JobRecord): void {
    if (hasRunningTasks(job)) return;
    if (this.holdCompletion(job, () => this.completeIfStopped(job))) return;
    this.forget(job);
    this.jobs.transition(job, "completed", { executionInfo: { ...job.job.executionInfo, endTime: isoNow(this.clock) } });
  }
}
