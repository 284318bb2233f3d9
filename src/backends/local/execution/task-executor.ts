import path from "node:path";
import type { BlobStorage } from "../../../core/backend.js";
import { isBatchError } from "../../../core/batch-error.js";
import type { ResourceFile, TaskExecutionResult, TaskFailureInfo } from "../../../core/models/index.js";
import type { ExecResult, NodeRuntime, ProcessUsage } from "../docker/node-runtime.js";
import { NodeRootFs } from "../files/node-root-fs.js";
import type { AbortReason } from "../state/records.js";
import { isoNow, type Clock } from "../state/clock.js";
import { addUsage, type TaskUsage } from "../state/task-usage.js";
import { splitCommandLine } from "./command-line.js";
import { containerRunFailure, containerUseFailure, planContainerTask, type ContainerContext } from "./container-task.js";
import { NodeBlobMounts } from "./node-blob-mounts.js";
import { nodePaths } from "./node-layout.js";
import { downloadResourceFiles, ResourceFileError } from "./resource-files.js";
import { LinuxAccounts } from "../users/linux-accounts.js";
import { giveToTaskUser, isNamedTaskUser, type TaskUser, type TaskUserSpec } from "./task-user.js";
import { TaskWallClock } from "./task-wall-clock.js";

/** Everything needed to run a task (or a start task) on a node. */
export interface ExecutionSpec {
  containerId: string;
  commandLine: string;
  resourceFiles: readonly ResourceFile[];
  env: Record<string, string>;
  /** An auto-user, or a named account whose uid and gid are read from the node as the task starts. */
  user: TaskUserSpec;
  /** Retries after a non-zero exit; -1 for no limit. Read at each failure. */
  readonly maxTaskRetryCount: number;
  /** Wall-clock limit over all attempts, from the first start. */
  maxWallClockMs?: number;
  /** The node's root directory on the host (bind-mounted at NODE_ROOT_DIR). */
  hostNodeRoot: string;
  /** The task directory relative to the node root (`startup`, `workitems/<job>/job-1/<task>`); `wd` is below it. */
  taskDir: string;
  /** The task and its pool as to containers; with `settings` the task runs in a container of its own. */
  container?: ContainerContext;
  /**
   * Where (relative to the node root) the process group is recorded, left in place after the
   * process exits so that what it started in the background can be ended later (process-group.ts).
   * By default it is not recorded: the runtime kills the group itself when the task is stopped.
   */
  processGroupFile?: string;
}

/** One attempt of a task, or why it cannot be attempted at all. */
type Attempt = { run(signal: AbortSignal): Promise<ExecResult> } | { failureInfo: TaskFailureInfo };

export interface ExecutionOutcome {
  startTime: string;
  endTime: string;
  exitCode?: number;
  result: TaskExecutionResult;
  failureInfo?: TaskFailureInfo;
  retryCount: number;
  lastRetryTime?: string;
  /** Set when stopped from outside; `requeue` and `delete` mean the outcome is discarded. */
  abortedBy?: AbortReason;
  /** What its tries used, summed: each try's wall time (its start to its end) and what the runtime reported. */
  usage?: TaskUsage;
}

export interface ExecutionHooks {
  /** Called before each retry, so the caller can publish `retryCount` (the retry starts at `lastRetryTime`). */
  onRetry?(retryCount: number, lastRetryTime: string): void;
  /** Called once the attempt's wall clock runs, so the caller can change its limit (Task_Update). */
  onWallClock?(wallClock: TaskWallClock): void;
}

const FAILURE_BY_ABORT: Record<AbortReason, TaskFailureInfo> = {
  terminate: { category: "usererror", code: "TaskEnded", message: "Task Was Ended by User Request" },
  timeout: { category: "usererror", code: "MaxWallClockTimeExpiry", message: "The task exceeded its maximum wall clock time and was terminated." },
  requeue: { category: "servererror", code: "TaskRequeued", message: "The task was requeued because its node left the pool." },
  delete: { category: "usererror", code: "TaskEnded", message: "The task's job was deleted." },
};

/** How the service reports a task (or start task) whose process exited with a non-zero code. */
export const FAILURE_EXIT_CODE: TaskFailureInfo = {
  category: "usererror",
  code: "FailureExitCode",
  message: "The task exited with an exit code representing a failure",
  details: [
    { name: "Message", value: "The task process exited with an unexpected exit code" },
    { name: "AdditionalErrorCode", value: "FailureExitCode" },
  ],
};

/**
 * A task whose named user account (`userIdentity.username`) the node does not have: the command
 * cannot be launched (the service's `CommandLaunchFailed`; which code it reports for this very
 * cause is not documented).
 */
export function userNotFoundFailure(account: string): TaskFailureInfo {
  return {
    category: "usererror",
    code: "CommandLaunchFailed",
    message: `The task could not be launched: the user account '${account}' does not exist on the node.`,
    details: [{ name: "UserName", value: account }],
  };
}

/**
 * Runs tasks on node containers (or, with containerSettings, in containers of their own): resource
 * files, the command line (no shell), retries and the wall clock.
 */
export class TaskExecutor {
  /** The blob containers mounted on each node (a pool's mountConfiguration), synced after every run. */
  readonly blobMounts: NodeBlobMounts;
  private readonly accounts: LinuxAccounts;

  constructor(
    private readonly runtime: NodeRuntime,
    private readonly linkedStorage: BlobStorage,
    private readonly clock: Clock,
  ) {
    this.blobMounts = new NodeBlobMounts(linkedStorage);
    this.accounts = new LinuxAccounts(runtime);
  }

  /** The task's user as the node knows it: a named account's uid and primary gid from its passwd database. */
  private async userOnNode(spec: ExecutionSpec): Promise<TaskUser | { failureInfo: TaskFailureInfo }> {
    const user = spec.user;
    if (!isNamedTaskUser(user)) return user;
    const ids = await this.accounts.lookUp({ containerId: spec.containerId, hostRoot: spec.hostNodeRoot }, user.account);
    if (!ids) return { failureInfo: userNotFoundFailure(user.account) };
    return { exec: user.account, name: user.name, identity: user.identity, ...ids };
  }

  /** Runs the task; then what it changed in its node's blob mounts is uploaded, before its outcome is reported. */
  async execute(spec: ExecutionSpec, signal: AbortSignal, hooks: ExecutionHooks = {}): Promise<ExecutionOutcome> {
    try {
      return await this.run(spec, signal, hooks);
    } finally {
      await this.blobMounts.sync(spec.hostNodeRoot);
    }
  }

  private async run(spec: ExecutionSpec, signal: AbortSignal, hooks: ExecutionHooks): Promise<ExecutionOutcome> {
    // The REST reference's TaskExecutionInformation/StartTaskInformation startTime: "If the Task has been
    // restarted or retried, this is the most recent time at which the Task started running."
    let startTime = isoNow(this.clock);
    // Everything below the node root is the tasks' to shape: host-side file work goes through NodeRootFs.
    const root = new NodeRootFs(spec.hostNodeRoot);
    const workingDir = path.posix.join(spec.taskDir, "wd");
    const stop = new AbortController();
    let abortedBy: AbortReason | undefined;
    const onAbort = (reason: AbortReason) => {
      abortedBy ??= reason;
      stop.abort(reason);
    };
    const listener = () => onAbort(signal.reason as AbortReason);
    if (signal.aborted) listener();
    signal.addEventListener("abort", listener, { once: true });
    const wallClock = new TaskWallClock(this.clock, this.clock.now(), () => onAbort("timeout"));
    wallClock.set(spec.maxWallClockMs);
    hooks.onWallClock?.(wallClock);
    let usage: TaskUsage | undefined;
    const finish = (fields: Omit<ExecutionOutcome, "startTime" | "endTime" | "abortedBy" | "usage">): ExecutionOutcome => ({
      startTime,
      endTime: isoNow(this.clock),
      ...fields,
      ...(abortedBy ? { abortedBy } : {}),
      ...(usage ? { usage } : {}),
    });
    try {
      // Stopped before it started (e.g. while its job's preparation task ran): nothing runs.
      if (stop.signal.aborted) return finish({ result: "failure", failureInfo: FAILURE_BY_ABORT[abortedBy as AbortReason], retryCount: 0 });
      // The node makes the directories of a plain task itself when it can (off this thread); the
      // host makes them when it has files to put there or the task runs in a container of its own.
      const inNode = this.preparedInNode(spec);
      if (!inNode || spec.resourceFiles.length > 0) await root.mkdir(workingDir);
      const user = await this.userOnNode(spec);
      if ("failureInfo" in user) return finish({ result: "failure", failureInfo: user.failureInfo, retryCount: 0 });
      const notHere = containerUseFailure(spec.container);
      if (notHere) return finish({ result: "failure", failureInfo: notHere, retryCount: 0 });
      try {
        await downloadResourceFiles(spec.resourceFiles, root, workingDir, this.linkedStorage);
      } catch (error) {
        if (!(error instanceof ResourceFileError)) throw error;
        return finish({ result: "failure", failureInfo: error.toFailureInfo(), retryCount: 0 });
      }
      if (!inNode) await giveToTaskUser(root, spec.taskDir, user);
      let argv: string[];
      try {
        argv = splitCommandLine(spec.commandLine);
      } catch (error) {
        const message = isBatchError(error) ? error.message : String(error);
        return finish({ result: "failure", failureInfo: { category: "usererror", code: "CommandLineParseError", message }, retryCount: 0 });
      }
      const attempt = await this.attempt(spec, user, argv);
      if ("failureInfo" in attempt) return finish({ result: "failure", failureInfo: attempt.failureInfo, retryCount: 0 });
      let retryCount = 0;
      let lastRetryTime: string | undefined;
      for (;;) {
        if (stop.signal.aborted) {
          return finish({ result: "failure", failureInfo: FAILURE_BY_ABORT[abortedBy as AbortReason], retryCount, lastRetryTime });
        }
        let exitCode: number;
        let killed: boolean;
        try {
          let used: ProcessUsage | undefined;
          ({ exitCode, killed, usage: used } = await attempt.run(stop.signal));
          usage = addUsage(usage, { ...used, wallMs: this.clock.now() - Date.parse(startTime) });
        } catch (error) {
          const failureInfo = containerRunFailure(error);
          if (!failureInfo) throw error;
          return finish({ result: "failure", failureInfo, retryCount, lastRetryTime });
        }
        if (killed || stop.signal.aborted) {
          return finish({ exitCode, result: "failure", failureInfo: FAILURE_BY_ABORT[abortedBy ?? "terminate"], retryCount, lastRetryTime });
        }
        if (exitCode === 0) return finish({ exitCode, result: "success", retryCount, lastRetryTime });
        const mayRetry = spec.maxTaskRetryCount === -1 || retryCount < spec.maxTaskRetryCount;
        if (!mayRetry) {
          return finish({ exitCode, result: "failure", failureInfo: FAILURE_EXIT_CODE, retryCount, lastRetryTime });
        }
        retryCount++;
        lastRetryTime = startTime = isoNow(this.clock);
        hooks.onRetry?.(retryCount, lastRetryTime);
      }
    } finally {
      wallClock.stop();
      signal.removeEventListener("abort", listener);
    }
  }

  /** Whether the runtime prepares this task's directories in the node (ExecSpec.prepare). */
  private preparedInNode(spec: ExecutionSpec): boolean {
    return this.runtime.preparesTaskDirectories === true && !spec.container?.settings;
  }

  /** How each attempt runs: a process on the node (NodeRuntime.exec), or a new container of the task's image. */
  private async attempt(spec: ExecutionSpec, user: TaskUser, argv: string[]): Promise<Attempt> {
    const context = spec.container;
    const settings = context?.settings;
    if (!context || !settings) return { run: (signal) => this.runOnce(spec, user, argv, signal) };
    const planned = await planContainerTask(this.runtime, {
      context: { ...context, settings },
      argv,
      env: spec.env,
      // The task's image knows none of the node's accounts: its uid and gid.
      user: `${user.uid}:${user.gid}`,
      hostNodeRoot: spec.hostNodeRoot,
      taskDir: spec.taskDir,
    });
    if ("failureInfo" in planned) return planned;
    const paths = nodePaths(spec.hostNodeRoot);
    return {
      run: (signal) =>
        this.runtime.runContainer(
          {
            ...planned.plan,
            name: planned.plan.name ?? context.newName(),
            hostRoot: spec.hostNodeRoot,
            stdoutPath: paths.host(path.posix.join(spec.taskDir, "stdout.txt")),
            stderrPath: paths.host(path.posix.join(spec.taskDir, "stderr.txt")),
          },
          signal,
        ),
    };
  }

  private async runOnce(spec: ExecutionSpec, user: TaskUser, argv: string[], signal: AbortSignal): Promise<ExecResult> {
    const paths = nodePaths(spec.hostNodeRoot);
    return this.runtime.exec(
      spec.containerId,
      {
        argv,
        env: spec.env,
        workingDir: paths.container(path.posix.join(spec.taskDir, "wd")),
        user: user.exec,
        hostRoot: spec.hostNodeRoot,
        stdoutPath: paths.host(path.posix.join(spec.taskDir, "stdout.txt")),
        stderrPath: paths.host(path.posix.join(spec.taskDir, "stderr.txt")),
        ...(spec.processGroupFile === undefined ? {} : { pidFile: paths.container(spec.processGroupFile) }),
        ...(this.preparedInNode(spec)
          ? {
              prepare: {
                directory: paths.container(path.posix.join(spec.taskDir, "wd")),
                ownTree: paths.container(spec.taskDir),
                uid: user.uid,
                gid: user.gid,
              },
            }
          : {}),
      },
      signal,
    );
  }
}
