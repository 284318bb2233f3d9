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
  /** `root`, or `uid:gid` of the unprivileged task user. */
  user: string;
  /** Host paths the process's stdout and stderr are written to (truncated first). */
  stdoutPath: string;
  stderrPath: string;
  /** A path inside the container where the process-group id is recorded, so it can be killed. */
  pidFile: string;
}

export interface ExecResult {
  exitCode: number;
  /** True when the process was killed because the signal aborted. */
  killed: boolean;
}

export interface ManagedContainer {
  id: string;
  name: string;
  labels: Record<string, string>;
}

export interface NodeRuntime {
  /** Creates and starts a node container (host networking, node root bind-mounted). */
  startNode(spec: NodeContainerSpec): Promise<StartedNodeContainer>;
  /**
   * Runs a process in a node container and resolves with its exit code. When `signal` aborts,
   * the process and all its descendants are killed and the promise resolves with `killed: true`.
   * Fails with a plain Error when the program cannot be started at all (e.g. not found).
   */
  exec(containerId: string, spec: ExecSpec, signal?: AbortSignal): Promise<ExecResult>;
  /** Removes a container whatever its state; a container that is already gone is not an error. */
  removeNode(containerId: string): Promise<void>;
  /** Containers carrying all the given labels (values, or `undefined` for "label present"). */
  listManaged(labels: Record<string, string | undefined>): Promise<ManagedContainer[]>;
}
