import path from "node:path";
import { createLogger } from "../../../core/logger.js";
import type { EnvironmentSetting, ResourceFile, TaskContainerSettings, UserIdentity } from "../../../core/models/index.js";
import { containerContext } from "../execution/container-task.js";
import { NODE_ROOT_DIR, taskDirectory } from "../execution/node-layout.js";
import { taskEnvironment } from "../execution/task-environment.js";
import type { ExecutionHooks, ExecutionOutcome } from "../execution/task-executor.js";
import { resolveTaskUser } from "../execution/task-user.js";
import { isoNow } from "../state/clock.js";
import type { JobRecord, NodeRecord, PoolRecord } from "../state/records.js";
import { entityUrl } from "./entity-urls.js";
import { jobPrepDirectory } from "./job-task-ids.js";
import type { LocalContext } from "./local-context.js";

const log = createLogger("malachite:job-tasks");

/** What a job's preparation or release task runs: the parts both share. */
export interface JobTaskCommand {
  commandLine: string;
  resourceFiles?: ResourceFile[];
  environmentSettings?: EnvironmentSetting[];
  userIdentity?: UserIdentity;
  containerSettings?: TaskContainerSettings;
}

export interface JobTaskRun {
  job: JobRecord;
  pool: PoolRecord;
  node: NodeRecord;
  taskId: string;
  command: JobTaskCommand;
  maxTaskRetryCount: number;
  maxWallClockMs?: number;
  /** The preparation task itself has no `AZ_BATCH_JOB_PREP_DIR`; the release task has. */
  withJobPrepDir: boolean;
}

/** Where a job task's directory is, as its execution info reports it. */
export function jobTaskDirectory(ctx: LocalContext, run: Pick<JobTaskRun, "job" | "pool" | "node" | "taskId">) {
  const taskRootDirectory = taskDirectory(run.job.job.id, run.taskId);
  const filesUrl = entityUrl(ctx.settings.accountUrl, "pools", run.pool.pool.id, "nodes", run.node.node.id, "files");
  return { taskRootDirectory, taskRootDirectoryUrl: `${filesUrl}/${taskRootDirectory}` };
}

/**
 * Runs a job's preparation or release task on a node as a task runs there: in
 * `workitems/<job>/job-1/<id>`, with the job's common environment settings and its own, as its
 * user, in its container if it has one. A run that cannot start at all ends as a server error.
 */
export async function runJobTask(ctx: LocalContext, run: JobTaskRun, signal: AbortSignal, hooks: ExecutionHooks = {}): Promise<ExecutionOutcome> {
  const { job, pool, node, taskId, command } = run;
  const user = resolveTaskUser(command.userIdentity);
  const taskDir = taskDirectory(job.job.id, taskId);
  try {
    return await ctx.executor.execute(
      {
        containerId: node.containerId as string,
        commandLine: command.commandLine,
        resourceFiles: command.resourceFiles ?? [],
        env: {
          // The pool's application packages are on the node for every task that runs there.
          ...ctx.packages.poolEnvironment(node),
          ...taskEnvironment({
            node: { accountName: ctx.settings.accountName, accountUrl: ctx.settings.accountUrl, poolId: pool.pool.id, nodeId: node.node.id },
            user,
            taskDir: path.posix.join(NODE_ROOT_DIR, taskDir),
            task: { jobId: job.job.id, taskId },
            ...(run.withJobPrepDir ? { jobPrepDir: jobPrepDirectory(job.job) } : {}),
            settings: [job.job.commonEnvironmentSettings, command.environmentSettings],
          }),
        },
        user,
        maxTaskRetryCount: run.maxTaskRetryCount,
        maxWallClockMs: run.maxWallClockMs,
        hostNodeRoot: node.hostRoot,
        taskDir,
        container: containerContext({
          sessionId: ctx.settings.sessionId,
          pool: pool.pool,
          nodeId: node.node.id,
          task: `${job.job.id}/${taskId}`,
          settings: command.containerSettings,
        }),
      },
      signal,
      hooks,
    );
  } catch (error) {
    log.warn(`${taskId} of job ${job.job.id} could not run on ${node.node.id}: ${(error as Error).message}`);
    const now = isoNow(ctx.clock);
    return {
      startTime: now,
      endTime: now,
      result: "failure",
      retryCount: 0,
      failureInfo: { category: "servererror", code: "TaskExecutionError", message: (error as Error).message },
    };
  }
}
