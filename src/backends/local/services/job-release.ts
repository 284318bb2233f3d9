import type { JobReleaseTask } from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import { MAX_RELEASE_WALL_CLOCK_MS } from "../../../core/validation/validate-job-tasks.js";
import { optionalDurationMs } from "../../../core/validation/durations.js";
import { isoNow } from "../state/clock.js";
import type { JobNodeRecord } from "../state/job-node-state.js";
import type { JobRecord, NodeRecord, PoolRecord } from "../state/records.js";
import type { JobPreparation } from "./job-preparation.js";
import { releaseTaskId } from "./job-task-ids.js";
import { jobTaskDirectory, runJobTask } from "./job-task-run.js";
import type { LocalContext } from "./local-context.js";
import { jobPoolId } from "../../../core/job-pool.js";

/** States in which a node runs tasks; a release waits for a node that is (re)starting. */
const READY = new Set(["idle", "running"]);

/**
 * The job release task (REST `JobReleaseTask`): when the job is terminated or deleted, its
 * preparation tasks are stopped and the release task runs on each node where the preparation
 * task ran and completed and the job's tasks could run; the job stays `terminating` (or
 * `deleting`) until they have finished. It takes no scheduling slot, is not retried, and runs
 * at most `maxWallClockTime` (15 minutes, the default and the limit). A job terminated and then
 * deleted runs it once (batch-job-prep-release). A release interrupted by a restart runs again
 * once its node is back ("If a Node reboots while the Job Release Task is still running, the Job
 * Release Task runs again when the Compute Node starts up").
 */
export class JobRelease {
  private readonly releasing = new Map<JobRecord, Promise<void>>();
  /** Jobs whose release round has run in this process: a second end (delete after terminate) runs none. */
  private readonly released = new WeakSet<JobRecord>();
  private readonly aborts = new Set<AbortController>();

  constructor(
    private readonly ctx: LocalContext,
    private readonly preparation: JobPreparation,
  ) {}

  /**
   * What must run before the job completes or goes: its preparation tasks stopped, then its
   * release tasks. Undefined when nothing is left to run.
   */
  beforeEnd(job: JobRecord, reason: "terminate" | "delete"): Promise<void> | undefined {
    const current = this.releasing.get(job);
    if (current) return current;
    if (!job.job.jobPreparationTask || this.released.has(job)) return undefined;
    const work = this.release(job, reason).finally(() => {
      this.releasing.delete(job);
      this.released.add(job);
    });
    this.releasing.set(job, work);
    this.ctx.background.track(`the job release tasks of job ${job.job.id}`, work);
    return work;
  }

  /** For JobLifecycle: keeps a terminating job from completing while its release tasks run; `resume` once they have. */
  holdCompletion(job: JobRecord, resume: () => void): boolean {
    if (this.releasing.has(job)) return true;
    const work = this.beforeEnd(job, "terminate");
    if (!work) return false;
    void work.then(() => {
      if (job.job.state === "terminating") resume();
    });
    return true;
  }

  /** Stops every release task (Malachite is shutting down): a restart runs them again. */
  stopAll(): void {
    for (const abort of this.aborts) abort.abort("delete");
  }

  private async release(job: JobRecord, reason: "terminate" | "delete"): Promise<void> {
    await this.preparation.stop(job, reason);
    const task = job.job.jobReleaseTask;
    if (!task) return;
    const pool = this.ctx.state.pools.get(idKey(jobPoolId(job.job) ?? ""));
    const runs: Promise<void>[] = [];
    for (const record of job.nodeTasks?.values() ?? []) {
      const node = pool?.nodes.get(record.nodeId);
      if (pool && node && idKey(record.poolId) === idKey(pool.pool.id) && this.owed(job, record)) runs.push(this.runOn(job, pool, node, task));
    }
    await Promise.all(runs);
  }

  /** The node ran the preparation task to its end and the job's tasks could run there, and no release has completed there. */
  private owed(job: JobRecord, record: JobNodeRecord): boolean {
    const preparation = record.preparation;
    if (preparation?.state !== "completed" || record.release?.state === "completed") return false;
    return preparation.result === "success" || job.job.jobPreparationTask?.waitForSuccess === false;
  }

  private async runOn(job: JobRecord, pool: PoolRecord, node: NodeRecord, task: JobReleaseTask): Promise<void> {
    await node.startup;
    if (node.leaving || !node.containerId || !READY.has(node.node.state)) return;
    const taskId = releaseTaskId(job.job) as string;
    const where = { poolId: pool.pool.id, nodeId: node.node.id, nodeUrl: node.node.url ?? "" };
    const directory = jobTaskDirectory(this.ctx, { job, pool, node, taskId });
    this.ctx.states.jobNode.update(job, where, { release: { state: "running", startTime: isoNow(this.ctx.clock), ...directory } });
    const abort = new AbortController();
    this.aborts.add(abort);
    const outcome = await runJobTask(
      this.ctx,
      {
        job,
        pool,
        node,
        taskId,
        command: task,
        maxTaskRetryCount: 0,
        maxWallClockMs: optionalDurationMs("jobReleaseTask.maxWallClockTime", task.maxWallClockTime) ?? MAX_RELEASE_WALL_CLOCK_MS,
        withJobPrepDir: true,
      },
      abort.signal,
    ).finally(() => this.aborts.delete(abort));
    if (outcome.abortedBy === "delete") return;
    this.ctx.states.jobNode.update(job, where, {
      release: {
        state: "completed",
        startTime: outcome.startTime,
        endTime: outcome.endTime,
        ...directory,
        exitCode: outcome.exitCode,
        failureInfo: outcome.failureInfo,
        result: outcome.result,
      },
    });
  }
}
