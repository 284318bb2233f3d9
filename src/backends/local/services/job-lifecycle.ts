import { resolveExitOptions } from "../../../core/exit-options.js";
import type { DisableJobOption, JobSchedulingError } from "../../../core/models/index.js";
import type { Clock, Timer } from "../state/clock.js";
import { isoNow } from "../state/clock.js";
import type { JobStates } from "../state/job-state.js";
import type { JobRecord, TaskRecord } from "../state/records.js";
import { hasRunningTasks, JobDisabling } from "./job-disabling.js";
import { TaskDependencyIndex } from "./task-dependencies.js";
import { jobManagerEndsJob } from "./job-manager.js";

/**
 * Job state changes that follow from what its tasks do: terminate, wall clock, disable and
 * enable, exit conditions' job actions, and `onAllTasksComplete`.
 */
export class JobLifecycle {
  private readonly wallClocks = new Map<JobRecord, Timer>();
  private readonly disabling: JobDisabling;
  /** Which tasks wait for others; the dispatcher asks it before starting a task. */
  readonly dependencies = new TaskDependencyIndex();
  /** True while a terminating job must not complete yet (its release tasks run, job-release.ts); `resume` is called once it may. */
  holdCompletion: (job: JobRecord, resume: () => void) => boolean = () => false;

  constructor(
    private readonly jobs: JobStates,
    private readonly clock: Clock,
  ) {
    this.disabling = new JobDisabling(jobs);
  }

  /**
   * Ends running tasks and completes the job once they have stopped; with `force` (Job_Terminate's
   * `force`: "terminate the Job even if the corresponding nodes have not fully processed the
   * termination") at once, the tasks finishing their stop afterwards.
   */
  terminate(job: JobRecord, terminateReason: string, force = false): void {
    const state = job.job.state;
    if (state === "completed" || state === "terminating" || state === "deleting") return;
    this.jobs.transition(job, "terminating", { executionInfo: { ...job.job.executionInfo, terminateReason } });
    for (const record of job.tasks.values()) record.abort?.abort("terminate");
    if (force) this.complete(job);
    else this.completeIfStopped(job);
  }

  /**
   * The job could not start: "If auto Pool creation fails, the Batch service moves the Job to a
   * completed state, and the Pool creation error is set in the Job's scheduling error property"
   * (REST `PoolInformation.autoPoolSpecification`). Nothing ran; its tasks stay as they are, and
   * no pool is the job's (`executionInfo.poolId` is "the actual Pool where the Job is assigned").
   */
  failScheduling(job: JobRecord, schedulingError: JobSchedulingError): void {
    const state = job.job.state;
    if (state === "completed" || state === "terminating" || state === "deleting") return;
    const { poolId: _, ...executionInfo } = job.job.executionInfo;
    this.jobs.transition(job, "terminating", { executionInfo: { ...executionInfo, schedulingError } });
    this.completeIfStopped(job);
  }

  disable(job: JobRecord, option: DisableJobOption): void {
    this.disabling.disable(job, option);
  }

  enable(job: JobRecord): void {
    this.disabling.enable(job);
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

  /** An attempt of a task stopped running: it completed, or went back to `active` (requeued). */
  onTaskStopped(job: JobRecord, record: TaskRecord): void {
    if (record.task.state === "completed") this.onTaskCompleted(job, record);
    else this.disabling.disabledIfStopped(job);
  }

  /**
   * A task completed (`record`), or the job's task set or settings changed (no record). The
   * completed task's exit options apply first (REST `ExitOptions`): its dependents are satisfied
   * or stay blocked, and, when the job's `onTaskFailure` is `performexitoptionsjobaction`, an
   * active job is terminated (`TaskFailed`) or disabled ("equivalent to calling the disable job
   * API, with a disableTasks value of requeue", REST `ExitOptions.jobAction`). A job that is not
   * active (being disabled, terminated) takes no job action: its tasks ended at the user's request.
   * Then a job whose tasks have all completed terminates if `onAllTasksComplete` says so
   * (`AllTasksComplete`).
   */
  onTaskCompleted(job: JobRecord, record?: TaskRecord): void {
    if (record) this.applyExitOptions(job, record);
    if (job.job.state === "terminating") {
      this.completeIfStopped(job);
      return;
    }
    this.disabling.disabledIfStopped(job);
    if (job.job.state === "active" && jobManagerEndsJob(job)) {
      this.terminate(job, "JMComplete");
      return;
    }
    if (job.job.state !== "active" || job.job.onAllTasksComplete !== "terminatejob") return;
    const allDone = [...job.tasks.values()].every((task) => task.task.state === "completed");
    if (allDone) this.terminate(job, "AllTasksComplete");
  }

  /** A task was deleted: it no longer waits for anything, and the job's remaining tasks may all be complete. */
  onTaskDeleted(job: JobRecord, record: TaskRecord): void {
    this.dependencies.removed(job, record);
    this.onTaskCompleted(job);
  }

  private applyExitOptions(job: JobRecord, record: TaskRecord): void {
    const { jobAction, dependencyAction } = resolveExitOptions(record.task.exitConditions, record.task.executionInfo);
    this.dependencies.completed(job, record, dependencyAction);
    if (job.job.onTaskFailure !== "performexitoptionsjobaction" || job.job.state !== "active") return;
    if (jobAction === "terminate") this.terminate(job, "TaskFailed");
    else if (jobAction === "disable") this.disabling.disable(job, "requeue");
  }

  private completeIfStopped(job: JobRecord): void {
    if (hasRunningTasks(job)) return;
    if (this.holdCompletion(job, () => this.completeIfStopped(job))) return;
    this.complete(job);
  }

  private complete(job: JobRecord): void {
    this.forget(job);
    this.jobs.transition(job, "completed", { executionInfo: { ...job.job.executionInfo, endTime: isoNow(this.clock) } });
  }
}
