import type { BatchService } from "../core/backend.js";
import type { CloudJob, CloudPool, CloudTask } from "../core/models/index.js";
import type { AttemptLog } from "./attempt-log.js";
import type { JobSummary, JobView, OverviewView, PoolSummary, PoolView, TaskRow, TaskView } from "./view-models.js";
import { jobPoolId } from "../core/job-pool.js";

/** Entities by id, the shape of every collection of a view. */
function byId<T extends { id: string }>(items: T[]): Record<string, T> {
  return Object.fromEntries(items.map((item) => [item.id, item]));
}

async function poolSummary(service: BatchService, pool: CloudPool): Promise<PoolSummary> {
  const nodeStates: Record<string, number> = {};
  // A pool being deleted may lose its nodes while it is read: it then counts none.
  const nodes = await service.computeNode.list(pool.id).catch(() => []);
  for (const node of nodes) nodeStates[node.state] = (nodeStates[node.state] ?? 0) + 1;
  return {
    id: pool.id,
    state: pool.state,
    allocationState: pool.allocationState,
    vmSize: pool.vmSize,
    currentDedicatedNodes: pool.currentDedicatedNodes,
    currentLowPriorityNodes: pool.currentLowPriorityNodes,
    targetDedicatedNodes: pool.targetDedicatedNodes,
    targetLowPriorityNodes: pool.targetLowPriorityNodes,
    taskSlotsPerNode: pool.taskSlotsPerNode,
    nodeStates,
  };
}

async function jobSummary(service: BatchService, job: CloudJob): Promise<JobSummary> {
  // Task counts of a job removed while it is read are left out rather than failing the overview.
  const counts = await service.job.getTaskCounts(job.id).catch(() => undefined);
  return { id: job.id, state: job.state, poolId: jobPoolId(job), creationTime: job.creationTime, taskCounts: counts?.taskCounts };
}

export function taskRow(task: CloudTask): TaskRow {
  const info = task.executionInfo;
  return {
    id: task.id,
    displayName: task.displayName,
    state: task.state,
    nodeId: task.nodeInfo?.nodeId,
    poolId: task.nodeInfo?.poolId,
    exitCode: info.exitCode,
    result: info.result,
    failureCode: info.failureInfo?.code,
    retryCount: info.retryCount,
    requeueCount: info.requeueCount,
    startTime: info.startTime,
    endTime: info.endTime,
    requiredSlots: task.requiredSlots,
  };
}

/**
 * Each view read from the service through the same calls the REST API serves: the dashboard
 * holds no state of its own but the task attempts it has seen.
 */
export class ViewReaders {
  constructor(
    private readonly service: BatchService,
    private readonly attempts: AttemptLog,
  ) {}

  async overview(): Promise<OverviewView> {
    const [pools, jobs] = await Promise.all([this.service.pool.list(), this.service.job.list()]);
    const [poolSummaries, jobSummaries] = await Promise.all([
      Promise.all(pools.map((pool) => poolSummary(this.service, pool))),
      Promise.all(jobs.map((job) => jobSummary(this.service, job))),
    ]);
    return { pools: byId(poolSummaries), jobs: byId(jobSummaries) };
  }

  async pool(poolId: string): Promise<PoolView> {
    const pool = await this.service.pool.get(poolId);
    const nodes = await this.service.computeNode.list(pool.id);
    return { pool: byId([pool]), nodes: byId(nodes) };
  }

  async job(jobId: string): Promise<JobView> {
    const job = await this.service.job.get(jobId);
    const tasks = await this.service.task.list(job.id);
    const attempts = Object.fromEntries(tasks.map((task) => [task.id, this.attempts.observe(job.id, task)]));
    return { job: byId([job]), tasks: byId(tasks.map(taskRow)), attempts };
  }

  async task(jobId: string, taskId: string): Promise<TaskView> {
    const task = await this.service.task.get(jobId, taskId);
    this.attempts.observe(jobId, task);
    return { task: byId([task]) };
  }
}
