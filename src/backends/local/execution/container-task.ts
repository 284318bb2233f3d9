/**
 * Tasks with `containerSettings`, run as Batch runs them: a new container of the task's image on
 * the node, with the node root bind-mounted at the same path, the task's environment, its
 * working directory and user, host networking, and the command line executed without a shell.
 */
import path from "node:path";
import type { CloudPool, ContainerRegistry, TaskContainerSettings, TaskFailureInfo } from "../../../core/models/index.js";
import { namedTaskContainer, taskContainerLabels, taskContainerName } from "../docker/labels.js";
import {
  ContainerImageNotFoundError,
  ContainerStartError,
  type ImageInfo,
  type NodeRuntime,
  type TaskContainerMount,
  type TaskContainerSpec,
} from "../docker/node-runtime.js";
import { NodeRootFs } from "../files/node-root-fs.js";
import { ContainerRunOptionsError, parseContainerRunOptions } from "./container-run-options.js";
import { NODE_ROOT_DIR } from "./node-layout.js";

export interface ContainerHostBindMount {
  source: string;
  isReadOnly?: boolean;
}

/** Task container settings as clients send them, with the properties the core model leaves out. */
export interface ContainerSettings extends TaskContainerSettings {
  /** Accepted for parity with Azure; the local engine never pulls, so it is not used. */
  registry?: ContainerRegistry;
  /** Parts of the node root to mount instead of all of it; an empty list mounts nothing. */
  containerHostBatchBindMounts?: ContainerHostBindMount[];
}

/** `containerHostBatchBindMounts` sources and their directory below the node root, for a task directory. */
export const BIND_MOUNT_SOURCES: Record<string, (taskDir: string) => string | undefined> = {
  Shared: () => "shared",
  Startup: () => "startup",
  VfsMounts: () => "fsmounts",
  Applications: () => "applications",
  Task: (taskDir) => taskDir,
  JobPrep: (taskDir) => (taskDir.startsWith("workitems/") ? path.posix.join(path.posix.dirname(taskDir), "jobpreparation") : undefined),
};

/** How a task relates to containers on its node. */
export interface ContainerContext {
  /** The node's pool has a `containerConfiguration`. */
  poolSupportsContainers: boolean;
  /** Tasks on a container pool must have `containerSettings`; start tasks need not (they may run on the node). */
  settingsRequired: boolean;
  settings?: ContainerSettings;
  /** Labels of the task's containers (labels.ts `taskContainerLabels`). */
  labels: Record<string, string>;
  /** A fresh container name for each attempt. */
  newName(): string;
  /**
   * The engine's name for a container the task names with `--name`: names are unique per node,
   * as on a Batch VM's own engine, while Malachite's nodes share one engine.
   */
  namedOnNode(name: string): string;
}

/** The container context of a task (`task`: `<jobId>/<taskId>`) or, with `task: "startup"`, a start task. */
export function containerContext(options: {
  sessionId: string;
  pool: CloudPool;
  nodeId: string;
  task: string;
  settings: TaskContainerSettings | undefined;
}): ContainerContext {
  const { sessionId, pool, nodeId, task } = options;
  return {
    poolSupportsContainers: pool.virtualMachineConfiguration?.containerConfiguration != null,
    settingsRequired: task !== "startup",
    ...(options.settings ? { settings: options.settings } : {}),
    labels: taskContainerLabels({ sessionId, poolId: pool.id, nodeId }, task),
    newName: () => taskContainerName(sessionId, pool.id, nodeId, task),
    namedOnNode: (name) => namedTaskContainer(sessionId, pool.id, nodeId, name),
  };
}

/**
 * The service's codes and messages for container tasks, as it reports them: ContainerPoolNotSupported
 * (Azure .NET SDK integration tests), ContainerTaskSettingsNotFound (azure-docs issue 16473),
 * ContainerInvalidImage (Azure/Batch issue 49, Azure/acr issue 411), ContainerInvalidSettings
 * (Azure/Batch issue 4). The image is also named in ContainerInvalidImage's message.
 */
export const ContainerFailures = {
  poolNotSupported: (): TaskFailureInfo => ({
    category: "usererror",
    code: "ContainerPoolNotSupported",
    message: "The specified pool does not support container tasks.",
  }),
  settingsNotFound: (): TaskFailureInfo => ({
    category: "usererror",
    code: "ContainerTaskSettingsNotFound",
    message: "Container-enabled compute node requires task container settings",
  }),
  invalidImage: (image: string, detail: string): TaskFailureInfo => ({
    category: "usererror",
    code: "ContainerInvalidImage",
    message: `One or more container images specified are invalid: ${image}`,
    details: [
      { name: "ContainerImage", value: image },
      { name: "Message", value: detail },
    ],
  }),
  invalidSettings: (detail: string): TaskFailureInfo => ({
    category: "usererror",
    code: "ContainerInvalidSettings",
    message: "At least one value of specified task container settings is invalid",
    details: [{ name: "Message", value: detail }],
  }),
};

export const IMAGE_NOT_PRESENT = "The image is not present in the local Docker engine and Malachite never pulls images; build, load or tag it locally first.";

/** A container task on a pool without containers, or a plain task on a container pool, fails before it runs. */
export function containerUseFailure(context: ContainerContext | undefined): TaskFailureInfo | undefined {
  if (!context) return undefined;
  if (context.settings && !context.poolSupportsContainers) return ContainerFailures.poolNotSupported();
  if (!context.settings && context.poolSupportsContainers && context.settingsRequired) return ContainerFailures.settingsNotFound();
  return undefined;
}

/** The failure of a container the engine would not create or start; undefined for other errors. */
export function containerRunFailure(error: unknown): TaskFailureInfo | undefined {
  if (error instanceof ContainerImageNotFoundError) return ContainerFailures.invalidImage(error.image, IMAGE_NOT_PRESENT);
  if (error instanceof ContainerStartError) return ContainerFailures.invalidSettings(error.engineMessage);
  return undefined;
}

/** Everything of a task's container but its output files, and its name unless `--name` gave one. */
export type PlannedContainer = Omit<TaskContainerSpec, "name" | "stdoutPath" | "stderrPath" | "hostRoot"> & { name?: string };

/**
 * Prepares a container task: its run options (ContainerInvalidSettings when unsupported), its
 * image (ContainerInvalidImage when absent), command, environment, working directory, user and mounts.
 */
export async function planContainerTask(
  runtime: NodeRuntime,
  options: {
    context: ContainerContext & { settings: ContainerSettings };
    argv: string[];
    env: Record<string, string>;
    /** The task user for the engine (`uid:gid`). */
    user: string;
    hostNodeRoot: string;
    /** The task directory relative to the node root. */
    taskDir: string;
  },
): Promise<{ plan: PlannedContainer } | { failureInfo: TaskFailureInfo }> {
  const { settings, labels } = options.context;
  let runOptions;
  try {
    runOptions = parseContainerRunOptions(settings.containerRunOptions);
  } catch (error) {
    if (error instanceof ContainerRunOptionsError) return { failureInfo: ContainerFailures.invalidSettings(error.message) };
    throw error;
  }
  const image = await runtime.inspectImage(settings.imageName);
  if (!image) return { failureInfo: ContainerFailures.invalidImage(settings.imageName, IMAGE_NOT_PRESENT) };

  const taskWorkingDir = path.posix.join(NODE_ROOT_DIR, options.taskDir, "wd");
  const workingDir = runOptions.workingDir ?? (settings.workingDirectory === "containerImageDefault" ? undefined : taskWorkingDir);
  const env: Record<string, string> = { ...options.env, ...runOptions.env };
  const searchPath = runOptions.env.PATH ?? mergedPath(image, options.env.PATH);
  if (searchPath !== undefined) env.PATH = searchPath;
  if (workingDir) env.PWD = workingDir;
  else delete env.PWD;
  // Without --entrypoint the command line replaces the image's entrypoint (argv executed as is);
  // with it, the command line becomes the entrypoint's arguments, as with `docker create --entrypoint`.
  const command = runOptions.entrypoint === undefined ? { entrypoint: options.argv, cmd: [] } : { entrypoint: [runOptions.entrypoint], cmd: options.argv };
  const nodeRoot = new NodeRootFs(path.resolve(options.hostNodeRoot));
  const runBinds: string[] = [];
  for (const bind of runOptions.binds) {
    const source = await hostPathOf(nodeRoot, bind.source);
    runBinds.push([source, bind.target, ...(bind.modes.length > 0 ? [bind.modes.join(",")] : [])].join(":"));
  }
  const mounts: TaskContainerMount[] = [];
  for (const mount of runOptions.engine.mounts)
    mounts.push(mount.source === undefined ? mount : { ...mount, source: await hostPathOf(nodeRoot, mount.source) });
  return {
    plan: {
      ...(runOptions.name !== undefined ? { name: options.context.namedOnNode(runOptions.name) } : {}),
      image: settings.imageName,
      labels: { ...runOptions.labels, ...labels },
      ...command,
      env,
      workingDir,
      user: runOptions.user ?? options.user,
      binds: [...(await bindMounts(options.hostNodeRoot, options.taskDir, settings.containerHostBatchBindMounts)), ...runBinds],
      engine: { ...runOptions.engine, mounts },
    },
  };
}

/**
 * A host path of `-v` or `--mount`: below the node root (`/mnt/batch/tasks/shared`) it is the
 * node's own directory, created if absent and never through a link out of it, as on a Batch VM
 * whose node root is that path; any other path is the machine's own.
 */
async function hostPathOf(nodeRoot: NodeRootFs, source: string): Promise<string> {
  const normalized = path.posix.normalize(source);
  const relative = path.posix.relative(NODE_ROOT_DIR, normalized);
  if (relative.startsWith("..") || path.posix.isAbsolute(relative)) return normalized;
  return relative === "" ? nodeRoot.root : nodeRoot.mkdir(relative);
}

/**
 * The image's PATH first (its programs must stay reachable, e.g. /opt/conda/bin), then what the
 * task's PATH adds (the shared and working directories, or the user's own entries).
 */
function mergedPath(image: ImageInfo, taskPath: string | undefined): string | undefined {
  const imagePath = image.env.find((entry) => entry.startsWith("PATH="))?.slice("PATH=".length);
  if (!imagePath) return taskPath;
  const entries = imagePath.split(":");
  for (const entry of (taskPath ?? "").split(":")) if (entry && !entries.includes(entry)) entries.push(entry);
  return entries.join(":");
}

/**
 * The whole node root at the same path, or only the listed parts of it. A part is created (or
 * found) inside the node root and mounted by its real path, so a link a task left in its place
 * (say `startup -> /`) is refused rather than mounting a host directory. The engine resolves the
 * path again when it creates the container; a task swapping a directory for a link in that
 * instant is not covered (Docker offers no way to mount a descriptor).
 */
async function bindMounts(hostNodeRoot: string, taskDir: string, mounts: ContainerHostBindMount[] | undefined): Promise<string[]> {
  const root = path.resolve(hostNodeRoot);
  if (!mounts) return [`${root}:${NODE_ROOT_DIR}`];
  const nodeRoot = new NodeRootFs(root);
  const binds: string[] = [];
  for (const mount of mounts) {
    const source = Object.keys(BIND_MOUNT_SOURCES).find((known) => known.toLowerCase() === mount.source.toLowerCase());
    const relative = source ? BIND_MOUNT_SOURCES[source]?.(taskDir) : undefined;
    if (!relative) continue;
    const hostPath = await nodeRoot.mkdir(relative);
    binds.push(`${hostPath}:${path.posix.join(NODE_ROOT_DIR, relative)}${mount.isReadOnly ? ":ro" : ""}`);
  }
  return binds;
}
