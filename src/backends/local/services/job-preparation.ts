import type { CloudJob, JobPreparationTask } from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import { optionalDurationMs } from "../../../core/validation/durations.js";
import { isoNow } from "../state/clock.js";
import { jobNodeKey, type JobNodeRecord } from "../state/job-node-state.js";
import type { AbortReason, JobRecord, NodeRecord, PoolRecord } from "../state/records.js";
import { preparationTaskId } from "./job-task-ids.js";
import { jobTaskDirectory, runJobTask } from "./job-task-run.js";
import type { LocalContext } from "./local-context.js";
import { jobPoolId } from "../../../core/job-pool.js";

interface PreparationRun {
  job: JobRecord;
  /** True once the task succeeded; false when it failed or was stopped. */
  done: Promise<boolean>;
  abort: AbortController;
}

const waitsForSuccess = (task: JobPreparationTask) => task.waitForSuccess ?? true;

/** Did the job's preparation task fail on the node in a way that keeps the job's tasks off it? */
function failedThere(job: CloudJob, record: JobNodeRecord | undefined): boolean {
  const task = job.jobPreparationTask;
  return task !== undefined && waitsForSuccess(task) && record?.preparation?.state === "completed" && record.preparation.result === "failure";
}

/**
 * The job preparation task (REST `JobPreparationTask`): it runs on a node before the first task
 * of its job there, once, as the docs of `JobPreparationTask` describe:
 * - with `waitForSuccess` (the default) the task waits in `preparing`; when the preparation task
 *   fails after its retries (`constraints.maxTaskRetryCount`), "Batch will not run Tasks of this
 *   Job on the Node": the node stays ineligible for the job (until reimaged, which Malachite does
 *   not do) and its tasks go on to other nodes;
 * - without it, the job's tasks start at once, "and even if the Job Preparation Task fails, new
 *   Tasks will continue to be scheduled on the Compute Node";
 * - after the node rebooted it runs again before the job's next task there, "if
 *   rerunOnNodeRebootAfterSuccess is true or if the Job Preparation Task did not previously complete".
 */
export class JobPreparation {
  private readonly runs = new Map<string, PreparationRun>();

  constructor(private readonly ctx: LocalContext) {}

  /**
   * Before a task of the job starts on the node: undefined when it may start now (a preparation
   * task that must run first without being waited for is started); otherwise a promise that
   * settles true once the preparation task succeeded there, or false when the job's tasks cannot
   * run there.
   */
  before(job: JobRecord, pool: PoolRecord, node: NodeRecord): Promise<boolean> | undefined {
    const task = job.job.jobPreparationTask;
    if (!task) return undefined;
    const key = runKey(job, pool, node);
    const record = job.nodeTasks?.get(jobNodeKey(pool.pool.id, node.node.id));
    let done = this.runs.get(key)?.done;
    if (!done) {
      if (!this.mustRun(task, record, node)) return failedThere(job.job, record) ? Promise.resolve(false) : undefined;
      done = this.start(key, job, pool, node, task);
    }
    return waitsForSuccess(task) ? done : undefined;
  }

  /** The ids of the job's pool's nodes its tasks may not run on: its preparation task failed there. */
  excludedNodeIds(job: JobRecord): ReadonlySet<string> | undefined {
    if (!job.job.jobPreparationTask || !job.nodeTasks) return undefined;
    const poolKey = idKey(jobPoolId(job.job) ?? "");
    const excluded = new Set<string>();
    for (const record of job.nodeTasks.values()) {
      if (idKey(record.poolId) === poolKey && failedThere(job.job, record)) excluded.add(record.nodeId);
    }
    return excluded.size > 0 ? excluded : undefined;
  }

  /** Stops the job's preparation tasks that run now; resolves once they have stopped. */
  stop(job: JobRecord, reason: AbortReason): Promise<unknown> {
    const stopping: Promise<boolean>[] = [];
    for (const run of this.runs.values()) {
      if (run.job !== job) continue;
      run.abort.abort(reason);
      stopping.push(run.done);
    }
    return Promise.all(stopping);
  }

  /** Stops every preparation task (Malachite is shutting down): nothing is recorded of them. */
  stopAll(): void {
    for (const run of this.runs.values()) run.abort.abort("delete");
  }

  private mustRun(task: JobPreparationTask, record: JobNodeRecord | undefined, node: NodeRecord): boolean {
    const info = record?.preparation;
    // Never run, or interrupted (Malachite restarted while it ran): it did not complete.
    if (!info || info.state !== "completed") return true;
    const rebooted = record.bootTime !== node.node.lastBootTime;
    return rebooted && info.result === "success" && (task.rerunOnNodeRebootAfterSuccess ?? true);
  }

  private start(key: string, job: JobRecord, pool: PoolRecord, node: NodeRecord, task: JobPreparationTask): Promise<boolean> {
    const abort = new AbortController();
    const done = this.run(job, pool, node, task, abort.signal).finally(() => this.runs.delete(key));
    this.runs.set(key, { job, done, abort });
    this.ctx.background.track(`the job preparation task of job ${job.job.id} on node ${node.node.id}`, done);
    return done;
  }

  private async run(job: JobRecord, pool: PoolRecord, node: NodeRecord, task: JobPreparationTask, signal: AbortSignal): Promise<boolean> {
    const taskId = preparationTaskId(job.job) as string;
    const where = { poolId: pool.pool.id, nodeId: node.node.id, nodeUrl: node.node.url ?? "" };
    const directory = jobTaskDirectory(this.ctx, { job, pool, node, taskId });
    const states = this.ctx.states.jobNode;
    const startTime = isoNow(this.ctx.clock);
    const containerId = node.containerId;
    states.update(job, where, { bootTime: node.node.lastBootTime, preparation: { state: "running", startTime, ...directory, retryCount: 0 } });
    const outcome = await runJobTask(
      this.ctx,
      {
        job,
        pool,
        node,
        taskId,
        command: task,
        maxTaskRetryCount: task.constraints?.maxTaskRetryCount ?? 0,
        maxWallClockMs: optionalDurationMs("jobPreparationTask.constraints.maxWallClockTime", task.constraints?.maxWallClockTime),
        withJobPrepDir: false,
      },
      signal,
      {
        onRetry: (retryCount, lastRetryTime) => {
          states.update(job, where, { preparation: { state: "running", startTime, ...directory, retryCount, lastRetryTime } });
        },
      },
    );
    // Stopped for good, or the node was lost under it: it did not complete, and runs again when a task next comes.
    const nodeLost = node.containerId !== containerId;
    if (outcome.abortedBy === "delete" || outcome.abortedBy === "requeue" || nodeLost) return false;
    states.update(job, where, {
      preparation: {
        state: "completed",
        startTime: outcome.startTime,
        endTime: outcome.endTime,
        ...directory,
        exitCode: outcome.exitCode,
        failureInfo: outcome.failureInfo,
        retryCount: outcome.retryCount,
        lastRetryTime: outcome.lastRetryTime,
        result: outcome.result,
      },
    });
    if (outcome.result === "failure") this.ctx.requestScheduling();
    return outcome.result === "success";
  }
}

function runKey(job: JobRecord, pool: PoolRecord, node: NodeRecord): string {
  return `${idKey(job.job.id)}|${jobNodeKey(pool.pool.id, node.node.id)}`;
}
