import type { DisableJobOption } from "../../../core/models/index.js";
import type { JobStates } from "../state/job-state.js";
import type { JobRecord } from "../state/records.js";

/** Whether an attempt of one of the job's tasks is still running. */
export function hasRunningTasks(job: JobRecord): boolean {
  for (const record of job.tasks.values()) if (record.abort) return true;
  return false;
}

/**
 * Job disable and enable (REST `Job_Disable`, `Job_Enable`; @azure/batch `job.disable`): the job
 * moves to `disabling` at once, its running tasks are dealt with as `disableTasks` says —
 * `requeue`: ended and put back to `active` (their `requeueCount` counts it), to run again once the
 * job is enabled; `terminate`: ended, completing with a failure that says so, never to run again;
 * `wait`: left to finish — and the job is `disabled` once none runs. No task of a job that is not
 * `active` is scheduled. Enable moves a disabled job through `enabling` back to `active`.
 * (`requeueCount` counts these requeues: REST `TaskExecutionInformation.requeueCount`, "when the
 * Job is being disabled, the user can specify that running Tasks ... be requeued".)
 */
export class JobDisabling {
  constructor(private readonly jobs: JobStates) {}

  /** Disables an active job; a job already disabling or disabled stays as it is. */
  disable(job: JobRecord, option: DisableJobOption): void {
    if (job.job.state !== "active") return;
    this.jobs.transition(job, "disabling");
    if (option !== "wait") for (const record of job.tasks.values()) record.abort?.abort(option);
    this.disabledIfStopped(job);
  }

  /** A disabling job whose tasks have all stopped running is disabled. */
  disabledIfStopped(job: JobRecord): void {
    if (job.job.state === "disabling" && !hasRunningTasks(job)) this.jobs.transition(job, "disabled");
  }

  /** A disabled job is enabled through `enabling`; an active or enabling one stays as it is. */
  enable(job: JobRecord): void {
    if (job.job.state !== "disabled") return;
    this.jobs.transition(job, "enabling");
    this.jobs.transition(job, "active");
  }
}
