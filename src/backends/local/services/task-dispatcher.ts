import path from "node:path";
import { createLogger } from "../../../core/logger.js";
import { addUsage } from "../state/task-usage.js";
import type { TaskExecutionInformation } from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import { optionalDurationMs } from "../../../core/validation/durations.js";
import { containerContext } from "../execution/container-task.js";
import { NODE_ROOT_DIR, taskDirectory } from "../execution/node-layout.js";
import { OutputFileUploadError, uploadOutputFiles } from "../execution/output-files.js";
import { packageEnvironment, packageFailureInfo } from "../applications/package-installer.js";
import { taskEnvironment } from "../execution/task-environment.js";
import type { ExecutionOutcome } from "../execution/task-executor.js";
import { resolveTaskUser } from "../execution/task-user.js";
import { canTakeAnyTask, planAssignments, type SchedulableJob, type SchedulablePool, type SchedulableTask } from "../scheduling/plan-assignments.js";
import { taskKey } from "../state/batch-state.js";
import { taskIndexOf } from "../state/job-task-index.js";
import { isoNow } from "../state/clock.js";
import type { JobRecord, NodeRecord, PoolRecord, TaskRecord } from "../state/records.js";
import type { BatchStore } from "../state/store.js";
import { entityUrl } from "./entity-urls.js";
import type { LocalContext } from "./local-context.js";
import type { JobLifecycle } from "./job-lifecycle.js";
import { INJECTED_RESOURCE_FILE_FAILURE } from "./fault-registry.js";
import type { NodeHealth } from "./node-health.js";
import { MultiInstanceRun } from "./multi-instance-run.js";
import { instancesOf } from "../../../core/validation/validate-multi-instance.js";
import type { JobPreparation } from "./job-preparation.js";
import { needsDedicatedNode, nodeRunsExclusiveTask, runsExclusively } from "./job-manager.js";
import { jobPrepDirectory } from "./job-task-ids.js";
import { jobPoolId } from "../../../core/job-pool.js";

const log = createLogger("malachite:dispatcher");

/**
 * Starts active tasks on free node slots and records how they end. Scheduling runs whenever
 * something changes (a task added, a node ready, a slot freed), never on a timer.
 */
export class TaskDispatcher {
  private scheduled = false;
  private readonly multiInstance: MultiInstanceRun;

  constructor(
    private readonly ctx: LocalContext,
    private readonly jobs: JobLifecycle,
    private readonly health: NodeHealth,
    private readonly preparation: JobPreparation,
  ) {
    this.multiInstance = new MultiInstanceRun(ctx, health, {
      claim: (job, record, pool, node) => this.claim(job, record, pool, node, "running"),
      finish: (job, record, node, outcome, hostTaskDir, release) => this.finish(job, record, node, outcome, hostTaskDir, release),
      release: (job, record, node) => this.release(job, record, node),
      failUnexpectedly: (job, record, error) => this.failUnexpectedly(job, record, error),
      taskStopped: (job, record) => this.jobs.onTaskStopped(job, record),
      requestScheduling: () => this.requestScheduling(),
    });
  }

  requestScheduling(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.schedule();
    });
  }

  private schedule(): void {
    const { state } = this.ctx;
    const tasks: SchedulableTask[] = [];
    const jobs = new Map<string, SchedulableJob>();
    const pools = new Map<string, SchedulablePool>();
    for (const job of state.jobs.values()) {
      if (job.job.state !== "active") continue;
      const poolKey = idKey(jobPoolId(job.job) ?? "");
      const pool = state.pools.get(poolKey);
      if (!pool || pool.pool.state !== "active") continue;
      if (!pools.has(poolKey)) pools.set(poolKey, schedulablePool(pool, state));
      if (!canTakeAnyTask(pools.get(poolKey) as SchedulablePool)) continue;
      const excludedNodeIds = this.preparation.excludedNodeIds(job);
      // Only the job's active tasks are read (job-task-index.ts); planAssignments orders them.
      const index = taskIndexOf(job);
      const running = index.inState("running").size + index.inState("preparing").size;
      for (const record of index.inState("active")) {
        if (!this.jobs.dependencies.isReady(job, record)) continue;
        tasks.push({
          key: taskKey(job.job.id, record.task.id),
          jobKey: idKey(job.job.id),
          poolKey,
          jobPriority: job.job.priority,
          jobSequence: job.sequence,
          sequence: record.sequence,
          requiredSlots: record.task.requiredSlots,
          instances: instancesOf(record.task),
          ...(runsExclusively(job.job, record) ? { runExclusive: true } : {}),
          ...(needsDedicatedNode(job.job, record) ? { dedicatedOnly: true } : {}),
          ...(excludedNodeIds ? { excludedNodeIds } : {}),
        });
      }
      jobs.set(idKey(job.job.id), { runningTasks: running, maxParallelTasks: job.job.maxParallelTasks });
    }
    if (tasks.length === 0) return;
    for (const assignment of planAssignments(tasks, pools, jobs)) {
      const [jobKey, taskId] = assignment.taskKey.split("/") as [string, string];
      const job = state.jobs.get(jobKey) as JobRecord;
      const record = job.tasks.get(taskId) as TaskRecord;
      const pool = state.pools.get(assignment.poolKey) as PoolRecord;
      const node = pool.nodes.get(assignment.nodeId) as NodeRecord;
      if (assignment.subtaskNodeIds)
        this.multiInstance.start(
          job,
          record,
          pool,
          node,
          assignment.subtaskNodeIds.map((id) => pool.nodes.get(id) as NodeRecord),
        );
      else this.start(job, record, pool, node);
    }
  }

  /**
   * Claims the node's slots and starts the task, `preparing` first while the job's preparation
   * task must run on the node (job-preparation.ts); its run settles once the outcome is recorded.
   */
  private start(job: JobRecord, record: TaskRecord, pool: PoolRecord, node: NodeRecord): void {
    const preparing = this.preparation.before(job, pool, node);
    this.claim(job, record, pool, node, preparing ? "preparing" : "running");
    const run = preparing ? this.runPrepared(job, record, pool, node, preparing) : this.run(job, record, pool, node);
    record.run = run;
    this.ctx.background.track(`task ${job.job.id}/${record.task.id}`, run, (error) => this.failUnexpectedly(job, record, error));
  }

  /** A run that broke outside the task's own program still ends the task, saying why. */
  private failUnexpectedly(job: JobRecord, record: TaskRecord, error: Error): void {
    if (record.task.state === "completed" || !job.tasks.has(idKey(record.task.id))) return;
    this.ctx.states.task.transition(record, "completed", {
      executionInfo: {
        ...record.task.executionInfo,
        endTime: isoNow(this.ctx.clock),
        result: "failure",
        failureInfo: { category: "servererror", code: "TaskFailedUnexpectedly", message: error.message },
      },
    });
    this.jobs.onTaskCompleted(job, record);
  }

  /**
   * Once the job's preparation task succeeded on the node, the task runs; where it failed, the
   * task goes back to `active` for other nodes, without counting as a requeue (it never ran). A
   * task stopped meanwhile (terminated, requeued, deleted) ends as a stopped run does.
   */
  private async runPrepared(job: JobRecord, record: TaskRecord, pool: PoolRecord, node: NodeRecord, preparing: Promise<boolean>): Promise<void> {
    const signal = (record.abort as AbortController).signal;
    const ready = await new Promise<boolean>((resolve) => {
      if (signal.aborted) resolve(false);
      signal.addEventListener("abort", () => resolve(false), { once: true });
      void preparing.then(resolve, () => resolve(false));
    });
    if (!signal.aborted && !ready) {
      this.release(job, record, node);
      this.ctx.states.task.transition(record, "active", { nodeInfo: undefined });
      this.requestScheduling();
      return;
    }
    if (!signal.aborted) this.ctx.states.task.transition(record, "running");
    return this.run(job, record, pool, node);
  }

  private claim(job: JobRecord, record: TaskRecord, pool: PoolRecord, node: NodeRecord, state: "preparing" | "running"): void {
    const task = record.task;
    this.ctx.states.node.taskStarted(node, taskKey(job.job.id, task.id), record);
    record.nodeId = node.node.id;
    record.abort = new AbortController();
    const taskDir = taskDirectory(job.job.id, task.id);
    this.ctx.states.task.transition(record, state, {
      nodeInfo: {
        affinityId: node.node.affinityId,
        nodeUrl: node.node.url,
        poolId: pool.pool.id,
        nodeId: node.node.id,
        taskRootDirectory: taskDir,
        taskRootDirectoryUrl: entityUrl(this.ctx.settings.accountUrl, "pools", pool.pool.id, "nodes", node.node.id, "files") + `/${taskDir}`,
      },
      executionInfo: {
        ...task.executionInfo,
        startTime: isoNow(this.ctx.clock),
        retryCount: 0,
        endTime: undefined,
        exitCode: undefined,
        result: undefined,
        failureInfo: undefined,
      },
    });
  }

  private release(job: JobRecord, record: TaskRecord, node: NodeRecord): void {
    this.ctx.states.node.taskEnded(node, taskKey(job.job.id, record.task.id));
    record.abort = undefined;
    record.run = undefined;
    record.wallClock = undefined;
  }

  private async run(job: JobRecord, record: TaskRecord, pool: PoolRecord, node: NodeRecord): Promise<void> {
    const task = record.task;
    const user = resolveTaskUser(task.userIdentity);
    const taskDir = taskDirectory(job.job.id, task.id);
    let outcome: ExecutionOutcome;
    try {
      await this.nodeAgentDelay(pool, node);
      const installation = await this.ctx.packages.install(node, task.applicationPackageReferences);
      if ("problem" in installation) {
        const now = isoNow(this.ctx.clock);
        outcome = { startTime: now, endTime: now, result: "failure", failureInfo: packageFailureInfo(installation), retryCount: 0 };
      } else if (this.ctx.faults.takeResourceFileFailure(job.job.id, task.id)) {
        const now = isoNow(this.ctx.clock);
        outcome = { startTime: now, endTime: now, result: "failure", failureInfo: INJECTED_RESOURCE_FILE_FAILURE, retryCount: 0 };
      } else
        outcome = await this.ctx.executor.execute(
          {
            containerId: node.containerId as string,
            commandLine: task.commandLine,
            resourceFiles: task.resourceFiles ?? [],
            env: {
              ...this.ctx.packages.poolEnvironment(node),
              ...packageEnvironment(installation.packages),
              ...taskEnvironment({
                node: { accountName: this.ctx.settings.accountName, accountUrl: this.ctx.settings.accountUrl, poolId: pool.pool.id, nodeId: node.node.id },
                user,
                taskDir: path.posix.join(NODE_ROOT_DIR, taskDir),
                task: { jobId: job.job.id, taskId: task.id },
                jobPrepDir: jobPrepDirectory(job.job),
                settings: [job.job.commonEnvironmentSettings, task.environmentSettings],
              }),
            },
            user,
            // Read at each failure: Task_Update may change it while the task runs.
            get maxTaskRetryCount() {
              return task.constraints.maxTaskRetryCount;
            },
            maxWallClockMs: optionalDurationMs("constraints.maxWallClockTime", task.constraints.maxWallClockTime),
            hostNodeRoot: node.hostRoot,
            taskDir,
            container: containerContext({
              sessionId: this.ctx.settings.sessionId,
              pool: pool.pool,
              nodeId: node.node.id,
              task: `${job.job.id}/${task.id}`,
              settings: task.containerSettings,
            }),
          },
          (record.abort as AbortController).signal,
          {
            onRetry: (retryCount, lastRetryTime) => {
              this.ctx.states.task.update(record, { executionInfo: { ...task.executionInfo, startTime: lastRetryTime, retryCount, lastRetryTime } });
            },
            onWallClock: (wallClock) => (record.wallClock = wallClock),
          },
        );
    } catch (error) {
      log.warn(`task ${job.job.id}/${task.id} could not run: ${(error as Error).message}`);
      const now = isoNow(this.ctx.clock);
      outcome = {
        startTime: task.executionInfo.startTime ?? now,
        endTime: now,
        result: "failure",
        retryCount: task.executionInfo.retryCount,
        failureInfo: { category: "servererror", code: "TaskExecutionError", message: (error as Error).message },
      };
    }
    if (outcome.result === "failure" && outcome.abortedBy === undefined && !(await this.health.isReachable(node, outcome.exitCode))) {
      // The attempt failed because the node went away, not because of the task: requeue it.
      this.health.lost(pool, node, node.containerId, {
        code: "NodeUnreachable",
        message: "The compute node could not be reached: its container is not running.",
      });
      outcome = { ...outcome, abortedBy: "requeue" };
    }
    // The node's slots are given back in the same turn as the task's final state changes, so no
    // one sees a completed task still counted on its node.
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.release(job, record, node);
    };
    try {
      await this.finish(job, record, node, outcome, path.join(node.hostRoot, taskDir), release);
    } finally {
      release();
      this.jobs.onTaskStopped(job, record);
      this.requestScheduling();
    }
  }

  /** A node agent made slow by a fault: the task starts only after the delay (on the clock). */
  private async nodeAgentDelay(pool: PoolRecord, node: NodeRecord): Promise<void> {
    const delay = this.ctx.faults.nodeDelay(pool.pool.id, node.node.id);
    if (delay > 0) await new Promise<void>((resolve) => this.ctx.clock.setTimer(delay, resolve));
  }

  /** Records how the attempt ended: requeued, or completed after its output files are uploaded. */
  private async finish(
    job: JobRecord,
    record: TaskRecord,
    node: NodeRecord,
    outcome: ExecutionOutcome,
    hostTaskDir: string,
    release: () => void,
  ): Promise<void> {
    const task = record.task;
    if (outcome.abortedBy === "delete") return;
    // A requeued attempt ran too: its time and use count in the task's statistics. Set before the
    // state change below, which writes the record.
    if (outcome.usage) record.usage = addUsage(record.usage, outcome.usage);
    if (outcome.abortedBy === "requeue") {
      release();
      this.ctx.states.task.transition(record, "active", {
        executionInfo: { ...task.executionInfo, requeueCount: task.executionInfo.requeueCount + 1, lastRequeueTime: isoNow(this.ctx.clock) },
        nodeInfo: undefined,
      });
      return;
    }
    let { result, failureInfo } = outcome;
    if (task.outputFiles?.length) {
      try {
        await uploadOutputFiles(task.outputFiles, hostTaskDir, result, node.hostRoot);
      } catch (error) {
        result = "failure";
        const code = error instanceof OutputFileUploadError ? error.code : "FileUploadError";
        failureInfo = { category: "usererror", code, message: (error as Error).message };
      }
    }
    const executionInfo: TaskExecutionInformation = {
      ...task.executionInfo,
      startTime: outcome.startTime,
      endTime: outcome.endTime,
      exitCode: outcome.exitCode,
      result,
      failureInfo,
      retryCount: outcome.retryCount,
      lastRetryTime: outcome.lastRetryTime,
    };
    this.ctx.states.node.update(node, {
      totalTasksRun: node.node.totalTasksRun + 1,
      totalTasksSucceeded: node.node.totalTasksSucceeded + (result === "success" ? 1 : 0),
      recentTasks: [
        { taskUrl: task.url, jobId: job.job.id, taskId: task.id, taskState: "completed" as const, executionInfo: { ...executionInfo } },
        ...(node.node.recentTasks ?? []),
      ].slice(0, 10),
    });
    release();
    this.ctx.states.task.transition(record, "completed", { executionInfo });
  }
}

function schedulablePool(pool: PoolRecord, state: BatchStore): SchedulablePool {
  return {
    taskSlotsPerNode: pool.pool.taskSlotsPerNode,
    nodeFillType: pool.pool.taskSchedulingPolicy.nodeFillType,
    interNodeCommunication: pool.pool.enableInterNodeCommunication,
    nodes: [...pool.nodes.values()].map((node) => ({
      id: node.node.id,
      state: node.node.state,
      schedulingState: node.node.schedulingState,
      usedSlots: node.usedSlots,
      leaving: node.leaving || node.draining === true,
      exclusive: nodeRunsExclusiveTask(state, node),
      ...(node.node.isDedicated === false ? { lowPriority: true } : {}),
    })),
  };
}
