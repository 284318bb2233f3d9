/**
 * What the local backend needs from a container engine to run compute nodes. The Docker
 * implementation is `DockerNodeRuntime`; tests of scheduling logic can use a fake.
 */

export interface NodeContainerSpec {
  /** Container name, unique on the engine. */
  name: string;
  image: string;
  /** Labels put on the container (see labels.ts); used by the sweep. */
  labels: Record<string, string>;
  /** The node's root directory on the host, bind-mounted at `nodeRootDir` inside the container. */
  hostNodeRootDir: string;
  /** `AZ_BATCH_NODE_ROOT_DIR` inside the container, e.g. `/mnt/batch/tasks`. */
  nodeRootDir: string;
  hostname?: string;
}

export interface StartedNodeContainer {
  containerId: string;
  /** The address the node reports (`ipAddress`); with host networking, the host's loopback. */
  ipAddress: string;
}

export interface ExecSpec {
  /** The program and its arguments, executed directly (no shell). */
  argv: string[];
  env: Record<string, string>;
  /** Working directory inside the container. */
  workingDir: string;
  /** `root`, `uid:gid` of an auto-user, or the name of a node account (its supplementary groups then apply). */
  user: string;
  /** Host paths the process's stdout and stderr are written to (created fresh; see `hostRoot`). */
  stdoutPath: string;
  stderrPath: string;
  /**
   * The node's root directory on the host: the output files are created inside it and never
   * through a link out of it. Without it, only their own directories bound them.
   */
  hostRoot?: string;
  /**
   * A path inside the container (below the node root) where the process group is recorded as
   * `<pgid> <ppid> <nonce>`, so that what the process leaves running can be ended later
   * (process-group.ts). If it cannot be written the process is not started (exit 125).
   */
  pidFile?: string;
  /**
   * Task-directory work done in the node just before the process starts, for runtimes that
   * `preparesTaskDirectories`: `mkdir -p` of `directory`, then `ownTree` (recursively, links
   * re-owned themselves, never followed) given to `uid:gid`. Container paths inside the node root.
   */
  prepare?: TaskDirectoryPreparation;
}

export interface TaskDirectoryPreparation {
  directory: string;
  ownTree: string;
  uid: number;
  gid: number;
}

export interface ExecResult {
  exitCode: number;
  /** True when the process was killed because the signal aborted. */
  killed: boolean;
  /** What the process used, where the runtime can tell (the node agent); absent otherwise. */
  usage?: ProcessUsage;
}

/** CPU time and disk I/O of one process tree (Linux: its reaped children's `cutime`/`cstime` and `/proc/<pid>/io`). */
export interface ProcessUsage {
  userCpuMs: number;
  kernelCpuMs: number;
  readBytes: number;
  writeBytes: number;
  /** Read and write system calls (`syscr`, `syscw`): the closest Linux count of I/O operations. */
  readOps: number;
  writeOps: number;
}

/**
 * A container task: one new container of `image` per attempt, as Batch runs tasks with
 * `containerSettings`. Host networking, docker-init as PID 1, no shell around the command.
 */
export interface TaskContainerSpec {
  /** Container name, unique on the engine. */
  name: string;
  image: string;
  /** Labels put on the container (see labels.ts: node labels plus the task); used by the sweep. */
  labels: Record<string, string>;
  /** Docker's Entrypoint: executed directly (exec form). Undefined: the image's own. */
  entrypoint?: string[];
  /** Docker's Cmd (the arguments). Undefined: the image's own (only used with its entrypoint). */
  cmd?: string[];
  env: Record<string, string>;
  /** Working directory inside the container; undefined: the image's WORKDIR. */
  workingDir?: string;
  /** `uid:gid`, a user name of the image, or `root`. */
  user: string;
  /** Bind mounts in Docker's `host:container[:ro]` form; host paths must be absolute. */
  binds: string[];
  /** What the task's `containerRunOptions` ask of the engine beyond the above (mounts, limits, capabilities). */
  engine?: TaskContainerEngineSettings;
  /** Host paths stdout and stderr are written to (created fresh; see `hostRoot`). */
  stdoutPath: string;
  stderrPath: string;
  /** As ExecSpec's: the node root the output files must stay inside. */
  hostRoot?: string;
}

/** A `--mount` of a task container: a host path, an anonymous volume or a tmpfs. */
export interface TaskContainerMount {
  type: "bind" | "volume" | "tmpfs";
  /** Absolute host path of a bind; absent for anonymous volumes and tmpfs. */
  source?: string;
  target: string;
  readOnly: boolean;
  /** Bind propagation (`rprivate`, `rshared`, ...). */
  propagation?: string;
  tmpfsSizeBytes?: number;
  tmpfsMode?: number;
}

export interface TaskContainerUlimit {
  name: string;
  soft: number;
  hard: number;
}

/** `--gpus`: Docker's device request for GPUs (count -1: all). */
export interface TaskContainerGpuRequest {
  driver?: string;
  count?: number;
  deviceIds?: string[];
  capabilities: string[];
}

/** Engine settings of a task container from its `containerRunOptions`, in Docker's units (bytes, nano-CPUs). */
export interface TaskContainerEngineSettings {
  mounts: TaskContainerMount[];
  /** `--tmpfs PATH[:OPTIONS]`: container path to mount options. */
  tmpfs: Record<string, string>;
  shmSizeBytes?: number;
  memoryBytes?: number;
  /** Memory plus swap; -1: unlimited swap. */
  memorySwapBytes?: number;
  memoryReservationBytes?: number;
  nanoCpus?: number;
  cpuShares?: number;
  cpusetCpus?: string;
  pidsLimit?: number;
  ulimits: TaskContainerUlimit[];
  capAdd: string[];
  capDrop: string[];
  gpus?: TaskContainerGpuRequest;
  privileged: boolean;
  readOnlyRootfs: boolean;
  /** `--ipc`: `host`, `private` or `shareable`. */
  ipcMode?: string;
  /** `--sysctl NAME=VALUE`. */
  sysctls: Record<string, string>;
  /** `--device HOST[:CONTAINER[:PERMISSIONS]]`. */
  devices: { host: string; container: string; permissions: string }[];
}

/** What `inspectImage` reports of an image present on the engine. */
export interface ImageInfo {
  id: string;
  /** The image's `ENV`, as `NAME=value` entries. */
  env: string[];
}

/** The image of a container task is not on the engine (Malachite never pulls). */
export class ContainerImageNotFoundError extends Error {
  constructor(readonly image: string) {
    super(`The image ${JSON.stringify(image)} is not present on the Docker engine (Malachite never pulls images).`);
    this.name = "ContainerImageNotFoundError";
  }
}

/** The engine could not start a task container for a reason other than its program (bad user, ...). */
export class ContainerStartError extends Error {
  constructor(readonly engineMessage: string) {
    super(`The container could not be started: ${engineMessage}`);
    this.name = "ContainerStartError";
  }
}

/** How a node container ended. */
export interface NodeExit {
  exitCode?: number;
}

export interface ManagedContainer {
  id: string;
  name: string;
  labels: Record<string, string>;
}

/** A node container's resource use as the engine reports it; counters are totals since the container started. */
export interface NodeStats {
  /** Percent of one host CPU (100 = one core busy). */
  cpuPercent?: number;
  memoryBytes?: number;
  diskReadBytes?: number;
  diskWriteBytes?: number;
  diskReadOps?: number;
  diskWriteOps?: number;
  networkInBytes?: number;
  networkOutBytes?: number;
}

export interface NodeRuntime {
  /**
   * True when `exec` honours `ExecSpec.prepare` inside the node (the Docker runtime's agent does
   * it there): the executor then leaves a task's directories to it instead of doing them host-side.
   */
  readonly preparesTaskDirectories?: boolean;
  /** Creates and starts a node container (host networking, node root bind-mounted). */
  startNode(spec: NodeContainerSpec): Promise<StartedNodeContainer>;
  /**
   * Runs a process in a node container and resolves with its exit code. When `signal` aborts,
   * the process and all its descendants are killed and the promise resolves with `killed: true`.
   * Fails with a plain Error when the program cannot be started at all (e.g. not found).
   */
  exec(containerId: string, spec: ExecSpec, signal?: AbortSignal): Promise<ExecResult>;
  /**
   * Runs a container task to completion and removes its container. The exit code is the
   * container's; a program that cannot be found or executed exits 127 / 126 with the engine's
   * message on stderr, as with `exec`. When `signal` aborts, the container is killed and the
   * promise resolves with `killed: true`. Rejects with ContainerImageNotFoundError when the image
   * is absent and with ContainerStartError when the engine refuses to start it otherwise.
   */
  runContainer(spec: TaskContainerSpec, signal?: AbortSignal): Promise<ExecResult>;
  /** The image if the engine has it (by name, tag or id), undefined if not. Never pulls. */
  inspectImage(image: string): Promise<ImageInfo | undefined>;
  /**
   * Reattaches to a node container an earlier Malachite process started (a restart on the same
   * data directory): true when the container still runs and its agent answers; from then on it
   * is this runtime's as if started here. False: it cannot be taken over.
   */
  adoptNode?(containerId: string): Promise<boolean>;
  /** Removes a container whatever its state; a container that is already gone is not an error. */
  removeNode(containerId: string): Promise<void>;
  /**
   * Resolves when the node container stops for any reason (its removal included), with its exit
   * code when the engine reports one: how a node that dies by itself is noticed.
   */
  waitForNodeExit(containerId: string): Promise<NodeExit>;
  /** Whether the node container is running (false when it is gone). */
  isNodeRunning(containerId: string): Promise<boolean>;
  /** Kills the node container (SIGKILL), as a VM that disappears; for fault injection. */
  killNode(containerId: string): Promise<void>;
  /** Containers carrying all the given labels (values, or `undefined` for "label present"). */
  listManaged(labels: Record<string, string | undefined>): Promise<ManagedContainer[]>;
  /** The node container's resource use, for the autoscale metrics; undefined when the engine reports none. */
  nodeStats?(containerId: string): Promise<NodeStats | undefined>;
}
