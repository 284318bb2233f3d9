import { randomUUID } from "node:crypto";
import path from "node:path";
import type { SubtaskInformation, TaskFailureInfo } from "../../../core/models/index.js";
import { containerContext } from "../execution/container-task.js";
import { multiInstanceEnvironment } from "../execution/multi-instance-environment.js";
import { NODE_ROOT_DIR } from "../execution/node-layout.js";
import { endProcessGroup } from "../execution/process-group.js";
import { downloadResourceFiles, ResourceFileError } from "../execution/resource-files.js";
import { taskEnvironment } from "../execution/task-environment.js";
import type { ExecutionOutcome, ExecutionSpec } from "../execution/task-executor.js";
import { resolveTaskUser } from "../execution/task-user.js";
import { packageEnvironment, packageFailureInfo } from "../applications/package-installer.js";
import { NodeRootFs } from "../files/node-root-fs.js";
import { isoNow } from "../state/clock.js";
import type { JobRecord, NodeRecord, PoolRecord, TaskRecord } from "../state/records.js";
import type { SubtaskStates } from "../state/subtask-state.js";
import type { LocalContext } from "./local-context.js";

/** How one attempt of a multi-instance task ended: the primary's outcome, and whether a retry may help. */
export interface AttemptResult {
  exitCode?: number;
  result: "success" | "failure";
  failureInfo?: TaskFailureInfo;
  /** A process exited with a non-zero code (what retries are for), rather than a download failing. */
  retryable: boolean;
}

/** Where one attempt runs: the primary's node first, then one node per subtask. */
export interface AttemptPlacement {
  job: JobRecord;
  record: TaskRecord;
  pool: PoolRecord;
  nodes: readonly NodeRecord[];
  taskDir: string;
  /** The variables of the task's application packages, once each node installed them (coordinate). */
  packageEnv?: Record<string, string>;
}

/**
 * One attempt of a multi-instance task (articles/batch/batch-mpi.md): every node downloads the
 * common resource files into the task directory (`AZ_BATCH_TASK_SHARED_DIR`) and runs the
 * coordination command; once all of them succeeded, the primary downloads the task's resource
 * files and runs the task's command line (the "application command"). A coordination command
 * that fails fails the attempt, and the others are stopped. When the primary ends, so do the
 * subtasks ("When the primary exits, all of the subtasks are terminated"): the processes their
 * coordination commands left running are killed, and each is `completed` with how its
 * coordination command ended.
 */
export class MultiInstanceAttempt {
  constructor(
    private readonly ctx: LocalContext,
    private readonly subtasks: SubtaskStates,
  ) {}

  async run(placement: AttemptPlacement, subtaskInfos: SubtaskInformation[], signal: AbortSignal): Promise<AttemptResult> {
    const stopOthers = new AbortController();
    const stop = AbortSignal.any([signal, stopOthers.signal]);
    const task = placement.record.task;
    let failed: AttemptResult | undefined;
    const coordinations = placement.nodes.map(async (node, index) => {
      // A subtask's processes outlive its coordination command until the primary ends.
      const groupFile = index === 0 ? undefined : path.posix.join("volatile", "pids", `subtask-${randomUUID()}.pid`);
      const outcome = await this.coordinate(placement, node, index, stop, groupFile);
      const subtask = subtaskInfos[index - 1];
      if (outcome.result === "failure" && !stop.aborted) {
        failed ??= attemptFailure(outcome, subtask?.id);
        stopOthers.abort("terminate");
      }
      return { node, subtask, outcome, groupFile };
    });
    const coordinated = await Promise.all(coordinations);
    let primary: AttemptResult;
    if (failed) primary = failed;
    else if (signal.aborted) primary = { result: "failure", failureInfo: coordinated[0]?.outcome.failureInfo, retryable: false };
    else {
      const outcome = await this.ctx.executor.execute(this.spec(placement, placement.nodes[0] as NodeRecord, 0, task.commandLine), signal);
      primary = {
        exitCode: outcome.exitCode,
        result: outcome.result,
        failureInfo: outcome.failureInfo,
        retryable: outcome.exitCode !== undefined && outcome.exitCode !== 0,
      };
    }
    // The primary's end ends the subtasks, with whatever their coordination commands left running.
    await Promise.all(
      coordinated.map(async ({ node, subtask, outcome, groupFile }) => {
        if (!subtask) return;
        if (groupFile && node.containerId) await endProcessGroup(this.ctx.runtime, node.containerId, node.hostRoot, groupFile);
        if (subtask.state === "completed") return;
        this.subtasks.complete(placement.record, subtask, { exitCode: outcome.exitCode, result: outcome.result, failureInfo: outcome.failureInfo });
      }),
    );
    return primary;
  }

  /**
   * Common resource files (and on the primary the task's own), then the coordination command
   * (none: nothing to run) on one node.
   */
  private async coordinate(
    placement: AttemptPlacement,
    node: NodeRecord,
    index: number,
    signal: AbortSignal,
    groupFile: string | undefined,
  ): Promise<ExecutionOutcome> {
    const task = placement.record.task;
    const settings = task.multiInstanceSettings ?? {};
    const startTime = isoNow(this.ctx.clock);
    const root = new NodeRootFs(node.hostRoot);
    try {
      // Into the task directory, one above the working directory (the SDKs' commonResourceFiles).
      await downloadResourceFiles(settings.commonResourceFiles ?? [], root, placement.taskDir, this.ctx.storage);
      if (index === 0) await downloadResourceFiles(task.resourceFiles ?? [], root, path.posix.join(placement.taskDir, "wd"), this.ctx.storage);
    } catch (error) {
      if (!(error instanceof ResourceFileError)) throw error;
      return { startTime, endTime: isoNow(this.ctx.clock), result: "failure", failureInfo: error.toFailureInfo(), retryCount: 0 };
    }
    // The task's application packages, on every node of the attempt.
    const installation = await this.ctx.packages.install(node, task.applicationPackageReferences);
    if ("problem" in installation) {
      return { startTime, endTime: isoNow(this.ctx.clock), result: "failure", failureInfo: packageFailureInfo(installation), retryCount: 0 };
    }
    placement.packageEnv = packageEnvironment(installation.packages);
    if (settings.coordinationCommandLine === undefined) return { startTime, endTime: startTime, result: "success", retryCount: 0 };
    return this.ctx.executor.execute({ ...this.spec(placement, node, index, settings.coordinationCommandLine), processGroupFile: groupFile }, signal);
  }

  /** A command on one node; its files are already there (coordinate). */
  private spec(placement: AttemptPlacement, node: NodeRecord, index: number, commandLine: string): ExecutionSpec {
    const { job, record, pool, nodes, taskDir } = placement;
    const task = record.task;
    const user = resolveTaskUser(task.userIdentity);
    const containerTaskDir = path.posix.join(NODE_ROOT_DIR, taskDir);
    const instance = multiInstanceEnvironment({ hostAddresses: nodes.map((n) => n.node.ipAddress), isMaster: index === 0, taskDir: containerTaskDir });
    return {
      containerId: node.containerId as string,
      commandLine,
      resourceFiles: [],
      env: {
        // The pool's application packages are on every node for every task that runs there.
        ...this.ctx.packages.poolEnvironment(node),
        ...placement.packageEnv,
        ...taskEnvironment({
          node: { accountName: this.ctx.settings.accountName, accountUrl: this.ctx.settings.accountUrl, poolId: pool.pool.id, nodeId: node.node.id },
          user,
          taskDir: containerTaskDir,
          task: { jobId: job.job.id, taskId: task.id },
          settings: [instance, job.job.commonEnvironmentSettings, task.environmentSettings],
        }),
      },
      user,
      // Retries and the wall clock apply to the whole multi-instance task (multi-instance-run.ts).
      maxTaskRetryCount: 0,
      hostNodeRoot: node.hostRoot,
      taskDir,
      container: containerContext({
        sessionId: this.ctx.settings.sessionId,
        pool: pool.pool,
        nodeId: node.node.id,
        task: `${job.job.id}/${task.id}`,
        settings: task.containerSettings,
      }),
    };
  }
}

/** A failed coordination command fails the whole task; a subtask's failure says which subtask. */
function attemptFailure(outcome: ExecutionOutcome, subtaskId: number | undefined): AttemptResult {
  const retryable = outcome.exitCode !== undefined && outcome.exitCode !== 0;
  if (subtaskId === undefined) return { exitCode: outcome.exitCode, result: "failure", failureInfo: outcome.failureInfo, retryable };
  const info = outcome.failureInfo ?? { category: "usererror" as const, code: "FailureExitCode", message: "A subtask failed." };
  const failureInfo: TaskFailureInfo = {
    ...info,
    message: `Subtask ${subtaskId}: ${info.message ?? ""}`.trim(),
    details: [...(info.details ?? []), { name: "SubtaskId", value: String(subtaskId) }],
  };
  return { result: "failure", failureInfo, retryable };
}
