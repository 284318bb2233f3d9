import path from "node:path";
import { createLogger } from "../../../core/logger.js";
import type { ComputeNodeInformation } from "../../../core/models/index.js";
import { optionalDurationMs } from "../../../core/validation/durations.js";
import { taskDirectory } from "../execution/node-layout.js";
import type { ExecutionOutcome } from "../execution/task-executor.js";
import { NodeRootFs } from "../files/node-root-fs.js";
import { taskKey } from "../state/batch-state.js";
import { isoNow } from "../state/clock.js";
import type { AbortReason, JobRecord, NodeRecord, PoolRecord, TaskRecord } from "../state/records.js";
import { SubtaskStates } from "../state/subtask-state.js";
import { entityUrl } from "./entity-urls.js";
import type { LocalContext } from "./local-context.js";
import { MultiInstanceAttempt, type AttemptPlacement } from "./multi-instance-attempt.js";
import type { NodeHealth } from "./node-health.js";

const log = createLogger("malachite:multi-instance");

/** What the dispatcher does for every task, which a multi-instance task needs too. */
export interface DispatcherSteps {
  /** Claims the primary's node and moves the task to `running` (nodeInfo: the primary's node). */
  claim(job: JobRecord, record: TaskRecord, pool: PoolRecord, node: NodeRecord): void;
  /** Records the outcome: requeued, or completed after the output files are uploaded (from the primary's node). */
  finish(job: JobRecord, record: TaskRecord, node: NodeRecord, outcome: ExecutionOutcome, hostTaskDir: string, release: () => void): Promise<void>;
  release(job: JobRecord, record: TaskRecord, node: NodeRecord): void;
  failUnexpectedly(job: JobRecord, record: TaskRecord, error: Error): void;
  /** The attempt stopped: the task completed, or went back to `active` (JobLifecycle.onTaskStopped). */
  taskStopped(job: JobRecord, record: TaskRecord): void;
  requestScheduling(): void;
}

/**
 * Runs a multi-instance task on the nodes the planner gave it, one subtask per node beside the
 * primary's (articles/batch/batch-mpi.md). Its constraints apply to the whole task: the wall
 * clock runs from the first start, and a failed attempt (any coordination command, or the
 * primary's command line, exiting non-zero) is retried on the same nodes up to
 * maxTaskRetryCount. Losing any of its nodes requeues the whole task.
 */
export class MultiInstanceRun {
  private readonly subtasks: SubtaskStates;
  private readonly attempt: MultiInstanceAttempt;

  constructor(
    private readonly ctx: LocalContext,
    private readonly health: NodeHealth,
    private readonly steps: DispatcherSteps,
  ) {
    this.subtasks = new SubtaskStates({ store: ctx.state, clock: ctx.clock });
    this.attempt = new MultiInstanceAttempt(ctx, this.subtasks);
  }

  start(job: JobRecord, record: TaskRecord, pool: PoolRecord, primary: NodeRecord, subtaskNodes: NodeRecord[]): void {
    this.steps.claim(job, record, pool, primary);
    for (const node of subtaskNodes) this.ctx.states.node.taskStarted(node, taskKey(job.job.id, record.task.id), record);
    const placement: AttemptPlacement = { job, record, pool, nodes: [primary, ...subtaskNodes], taskDir: taskDirectory(job.job.id, record.task.id) };
    const run = this.run(placement);
    record.run = run;
    this.ctx.background.track(`multi-instance task ${job.job.id}/${record.task.id}`, run, (error) => this.steps.failUnexpectedly(job, record, error));
  }

  private async run(placement: AttemptPlacement): Promise<void> {
    const { job, record, pool, nodes, taskDir } = placement;
    const primary = nodes[0] as NodeRecord;
    let outcome: ExecutionOutcome;
    try {
      outcome = await this.attempts(placement);
      if (outcome.result === "failure" && outcome.abortedBy === undefined && (await this.loseUnreachable(pool, nodes)))
        outcome = { ...outcome, abortedBy: "requeue" };
    } catch (error) {
      log.warn(`multi-instance task ${job.job.id}/${record.task.id} could not run: ${(error as Error).message}`);
      const now = isoNow(this.ctx.clock);
      const failureInfo = { category: "servererror" as const, code: "TaskExecutionError", message: (error as Error).message };
      outcome = {
        startTime: record.task.executionInfo.startTime ?? now,
        endTime: now,
        result: "failure",
        retryCount: record.task.executionInfo.retryCount,
        failureInfo,
      };
      for (const subtask of record.subtasks ?? [])
        if (subtask.state !== "completed") this.subtasks.complete(record, subtask, { result: "failure", failureInfo });
    } finally {
      for (const node of nodes.slice(1)) this.ctx.states.node.taskEnded(node, taskKey(job.job.id, record.task.id));
    }
    if (outcome.abortedBy === undefined || outcome.abortedBy === "terminate" || outcome.abortedBy === "timeout") this.recordOnSubtaskNodes(placement);
    if (outcome.abortedBy === "requeue") this.subtasks.drop(record);
    if (outcome.abortedBy === "delete") await this.removeSubtaskDirectories(nodes.slice(1), taskDir);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.steps.release(job, record, primary);
    };
    try {
      await this.steps.finish(job, record, primary, outcome, path.join(primary.hostRoot, taskDir), release);
    } finally {
      release();
      this.steps.taskStopped(job, record);
      this.steps.requestScheduling();
    }
  }

  /** Attempts until one succeeds, retries are used up, or the task is stopped (terminate, wall clock, requeue, delete). */
  private async attempts(placement: AttemptPlacement): Promise<ExecutionOutcome> {
    const { record, pool, nodes, taskDir } = placement;
    const task = record.task;
    const stop = new AbortController();
    const signal = (record.abort as AbortController).signal;
    const onAbort = () => stop.abort(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    const limit = optionalDurationMs("constraints.maxWallClockTime", task.constraints.maxWallClockTime);
    const timer = limit === undefined ? undefined : this.ctx.clock.setTimer(limit, () => stop.abort("timeout" satisfies AbortReason));
    const startTime = isoNow(this.ctx.clock);
    let retryCount = 0;
    let lastRetryTime: string | undefined;
    try {
      for (;;) {
        const infos = this.subtasks.begin(
          record,
          nodes.slice(1).map((node) => nodeInfoOf(this.ctx.settings.accountUrl, pool, node, taskDir)),
        );
        const result = await this.attempt.run(placement, infos, stop.signal);
        const abortedBy = stop.signal.aborted ? (stop.signal.reason as AbortReason) : undefined;
        const max = task.constraints.maxTaskRetryCount;
        const done = abortedBy !== undefined || result.result === "success" || !result.retryable || (max !== -1 && retryCount >= max);
        if (done) {
          const { retryable: _retryable, ...fields } = result;
          return { startTime, endTime: isoNow(this.ctx.clock), ...fields, retryCount, lastRetryTime, ...(abortedBy ? { abortedBy } : {}) };
        }
        retryCount++;
        lastRetryTime = isoNow(this.ctx.clock);
        this.ctx.states.task.update(record, { executionInfo: { ...task.executionInfo, retryCount, lastRetryTime } });
      }
    } finally {
      timer?.cancel();
      signal.removeEventListener("abort", onAbort);
    }
  }

  /** After a failed attempt: were any of its nodes lost? Those become unusable (the task is requeued). */
  private async loseUnreachable(pool: PoolRecord, nodes: readonly NodeRecord[]): Promise<boolean> {
    let lost = false;
    for (const node of nodes) {
      if (await this.health.isReachable(node)) continue;
      this.health.lost(pool, node, node.containerId, {
        code: "NodeUnreachable",
        message: "The compute node could not be reached: its container is not running.",
      });
      lost = true;
    }
    return lost;
  }

  /** "A compute node's recent task list reflects the ID of a subtask if the recent task was part of a multi-instance task" (batch-mpi.md). */
  private recordOnSubtaskNodes({ job, record, nodes }: AttemptPlacement): void {
    for (const [index, subtask] of (record.subtasks ?? []).entries()) {
      const node = nodes[index + 1];
      if (!node) continue;
      const { startTime, endTime, exitCode, result } = subtask;
      const recent = { taskUrl: record.task.url, jobId: job.job.id, taskId: record.task.id, subtaskId: subtask.id, taskState: "completed" as const };
      this.ctx.states.node.update(node, {
        recentTasks: [
          { ...recent, executionInfo: { startTime, endTime, exitCode, result, retryCount: 0, requeueCount: 0 } },
          ...(node.node.recentTasks ?? []),
        ].slice(0, 10),
      });
    }
  }

  /** A deleted task's subtask directories go with it (the primary's is removed by the delete itself). */
  private async removeSubtaskDirectories(nodes: readonly NodeRecord[], taskDir: string): Promise<void> {
    await Promise.all(nodes.map((node) => new NodeRootFs(node.hostRoot).remove(taskDir).catch(() => undefined)));
  }
}

function nodeInfoOf(accountUrl: string, pool: PoolRecord, node: NodeRecord, taskDir: string): ComputeNodeInformation {
  return {
    affinityId: node.node.affinityId,
    nodeUrl: node.node.url,
    poolId: pool.pool.id,
    nodeId: node.node.id,
    taskRootDirectory: taskDir,
    taskRootDirectoryUrl: entityUrl(accountUrl, "pools", pool.pool.id, "nodes", node.node.id, "files") + `/${taskDir}`,
  };
}
