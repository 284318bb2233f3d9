import path from "node:path";
import { createLogger } from "../../../core/logger.js";
import type { CloudTask, TaskState } from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import { optionalDurationMs } from "../../../core/validation/durations.js";
import { containerContext } from "../execution/container-task.js";
import { NODE_ROOT_DIR, taskDirectory } from "../execution/node-layout.js";
import { uploadOutputFiles } from "../execution/output-files.js";
import { taskEnvironment } from "../execution/task-environment.js";
import type { ExecutionOutcome } from "../execution/task-executor.js";
import { resolveTaskUser } from "../execution/task-user.js";
import { planAssignments, type SchedulableJob, type SchedulablePool, type SchedulableTask } from "../scheduling/plan-assignments.js";
import { taskKey } from "../state/batch-state.js";
import { nowIso } from "../state/clock.js";
import type { JobRecord, NodeRecord, PoolRecord, TaskRecord } from "../state/records.js";
import { entityUrl } from "./entity-urls.js";
import type { LocalContext } from "./local-context.js";
import type { JobLifecycle } from "./job-lifecycle.js";

const log = createLogger("malachite:dispatcher");

export function setTaskState(task: CloudTask, state: TaskState): void {
  if (task.state === state) return;
  task.previousState = task.state;
  task.previousStateTransitionTime = task.stateTransitionTime;
  task.state = state;
  task.stateTransitionTime = nowIso();
}

/**
 * Starts active tasks on free node slots and records how they end. Scheduling runs whenever
 * something changes (a task added, a node ready, a slot freed), never on a timer.
 */
export class TaskDispatcher {
  private scheduled = false;

  constructor(
    private readonly ctx: LocalContext,
    private readonly jobs: JobLifecycle,
  ) {}

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
      const poolKey = idKey(job.job.poolInfo.poolId as string);
      const pool = state.pools.get(poolKey);
      if (!pool || pool.pool.state !== "active") continue;
      if (!pools.has(poolKey)) pools.set(poolKey, schedulablePool(pool));
      let running = 0;
      for (const record of job.tasks.values()) {
        if (record.task.state === "running") running++;
        if (record.task.state !== "active") continue;
        tasks.push({
          key: taskKey(job.job.id, record.task.id),
          jobKey: idKey(job.job.id),
          poolKey,
          jobPriority: job.job.priority,
          jobSequence: job.sequence,
          sequence: record.sequence,
          requiredSlots: record.task.requiredSlots,
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
      this.ctx.background.track(this.run(job, record, pool, node));
    }
  }

  private claim(job: JobRecord, record: TaskRecord, pool: PoolRecord, node: NodeRecord): void {
    const task = record.task;
    const key = taskKey(job.job.id, task.id);
    node.running.add(key);
    node.usedSlots += task.requiredSlots;
    node.node.runningTasksCount = node.running.size;
    node.node.runningTaskSlotsCount = node.usedSlots;
    if (node.node.state === "idle") {
      node.node.state = "running";
      node.node.stateTransitionTime = nowIso();
    }
    record.nodeId = node.node.id;
    record.abort = new AbortController();
    const taskDir = taskDirectory(job.job.id, task.id);
    task.nodeInfo = {
      affinityId: node.node.affinityId,
      nodeUrl: node.node.url,
      poolId: pool.pool.id,
      nodeId: node.node.id,
      taskRootDirectory: taskDir,
      taskRootDirectoryUrl: entityUrl(this.ctx.settings.accountUrl, "pools", pool.pool.id, "nodes", node.node.id, "files") + `/${taskDir}`,
    };
    task.executionInfo = { ...task.executionInfo, startTime: nowIso(), retryCount: 0, endTime: undefined, exitCode: undefined, result: undefined, failureInfo: undefined };
    setTaskState(task, "running");
  }

  private release(job: JobRecord, record: TaskRecord, node: NodeRecord): void {
    node.running.delete(taskKey(job.job.id, record.task.id));
    node.usedSlots -= record.task.requiredSlots;
    node.node.runningTasksCount = node.running.size;
    node.node.runningTaskSlotsCount = node.usedSlots;
    if (node.running.size === 0 && node.node.state === "running") {
      node.node.state = "idle";
      node.node.stateTransitionTime = nowIso();
    }
    record.abort = undefined;
  }

  private async run(job: JobRecord, record: TaskRecord, pool: PoolRecord, node: NodeRecord): Promise<void> {
    this.claim(job, record, pool, node);
    const task = record.task;
    const user = resolveTaskUser(task.userIdentity);
    const taskDir = taskDirectory(job.job.id, task.id);
    let outcome: ExecutionOutcome;
    try {
      outcome = await this.ctx.executor.execute(
        {
          containerId: node.containerId as string,
          commandLine: task.commandLine,
          resourceFiles: task.resourceFiles ?? [],
          env: taskEnvironment({
            node: { accountName: this.ctx.settings.accountName, accountUrl: this.ctx.settings.accountUrl, poolId: pool.pool.id, nodeId: node.node.id },
            user,
            taskDir: path.posix.join(NODE_ROOT_DIR, taskDir),
            task: { jobId: job.job.id, taskId: task.id },
            settings: [job.job.commonEnvironmentSettings, task.environmentSettings],
          }),
          user,
          maxTaskRetryCount: task.constraints.maxTaskRetryCount,
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
            task.executionInfo.retryCount = retryCount;
            task.executionInfo.lastRetryTime = lastRetryTime;
          },
        },
      );
    } catch (error) {
      log.warn(`task ${task.id} could not run: ${(error as Error).message}`);
      const now = nowIso();
      outcome = {
        startTime: task.executionInfo.startTime ?? now,
        endTime: now,
        result: "failure",
        retryCount: task.executionInfo.retryCount,
        failureInfo: { category: "servererror", code: "TaskExecutionError", message: (error as Error).message },
      };
    }
    this.release(job, record, node);
    await this.finish(job, record, node, outcome, path.join(node.hostRoot, taskDir));
    this.requestScheduling();
  }

  private async finish(job: JobRecord, record: TaskRecord, node: NodeRecord, outcome: ExecutionOutcome, hostTaskDir: string): Promise<void> {
    const task = record.task;
    if (outcome.abortedBy === "delete") return;
    if (outcome.abortedBy === "requeue") {
      task.executionInfo = { ...task.executionInfo, requeueCount: task.executionInfo.requeueCount + 1, lastRequeueTime: nowIso() };
      task.nodeInfo = undefined;
      setTaskState(task, "active");
      return;
    }
    let { result, failureInfo } = outcome;
    if (task.outputFiles?.length) {
      try {
        await uploadOutputFiles(task.outputFiles, hostTaskDir, result);
      } catch (error) {
        result = "failure";
        failureInfo = { category: "usererror", code: "FileUploadError", message: (error as Error).message };
      }
    }
    task.executionInfo = {
      ...task.executionInfo,
      startTime: outcome.startTime,
      endTime: outcome.endTime,
      exitCode: outcome.exitCode,
      result,
      failureInfo,
      retryCount: outcome.retryCount,
      lastRetryTime: outcome.lastRetryTime,
    };
    node.node.totalTasksRun++;
    if (result === "success") node.node.totalTasksSucceeded++;
    node.node.recentTasks = [
      { taskUrl: task.url, jobId: job.job.id, taskId: task.id, taskState: "completed" as const, executionInfo: { ...task.executionInfo } },
      ...(node.node.recentTasks ?? []),
    ].slice(0, 10);
    setTaskState(task, "completed");
    this.jobs.onTaskCompleted(job);
  }
}

function schedulablePool(pool: PoolRecord): SchedulablePool {
  return {
    taskSlotsPerNode: pool.pool.taskSlotsPerNode,
    nodeFillType: pool.pool.taskSchedulingPolicy.nodeFillType,
    nodes: [...pool.nodes.values()].map((node) => ({
      id: node.node.id,
      state: node.node.state,
      schedulingState: node.node.schedulingState,
      usedSlots: node.usedSlots,
      leaving: node.leaving,
    })),
  };
}
