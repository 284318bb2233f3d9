/**
 * NodeRuntime on a Docker engine: one long-lived container per compute node (host networking,
 * docker-init as PID 1, the node root bind-mounted), tasks run with `docker exec`; container
 * tasks run in containers of their own (task-containers.ts).
 */
import { randomBytes } from "node:crypto";
import type { Duplex } from "node:stream";
import Dockerode from "dockerode";
import { createLogger, type Logger } from "../../../core/logger.js";
import { dockerCall, dockerErrorMessage, dockerStatusCode } from "./docker-call.js";
import { Collector, ExecOutputDemuxer, type OutputFile, openOutputPair, pump } from "./exec-output.js";
import type {
  NodeExit,
  ExecResult,
  ExecSpec,
  ImageInfo,
  ManagedContainer,
  NodeContainerSpec,
  NodeRuntime,
  NodeStats,
  StartedNodeContainer,
  TaskContainerSpec,
} from "./node-runtime.js";
import { isContainerRunning, killContainer, waitForContainerExit } from "./node-liveness.js";
import { readNodeStats } from "./node-stats.js";
import { TaskContainers } from "./task-containers.js";

export interface DockerNodeRuntimeOptions {
  /** The engine client; by default `new Dockerode()`, which honours DOCKER_HOST or the local socket. */
  docker?: Dockerode;
  logger?: Logger;
}

/**
 * Wraps every task: `setsid` gives the task its own session / process group, `sh` records that
 * group id (with its parent's pid and a per-exec nonce) in the pid file and then `exec`s argv
 * verbatim — no shell ever interprets the task's arguments. If the pid file cannot be written
 * the task is not started (exit 125), since it could not be killed.
 */
export const WRAPPER_EXIT_PID_FILE = 125;
const WRAPPER_SCRIPT =
  'echo "$$ $PPID $2" > "$1" || { echo "malachite: cannot record the process group in $1" >&2; ' + `exit ${WRAPPER_EXIT_PID_FILE}; }; shift 2; exec "$@"`;

/**
 * Run as root to kill a task: waits (up to ~10 s) until the pid file holds this exec's nonce,
 * kills the `setsid -w` parent first (so the exec itself dies of SIGKILL and reports 137, and
 * setsid prints nothing), then the whole process group. dash's `kill` needs `-s KILL --`.
 */
const KILL_SCRIPT = `i=0
until read -r pg pp nonce < "$1" 2>/dev/null && [ "$nonce" = "$2" ]; do
  i=$((i + 1))
  if [ "$i" -gt 200 ]; then echo "no process group recorded in $1" >&2; exit 3; fi
  sleep 0.05
done
if [ "$pp" -gt 1 ] 2>/dev/null && read -r comm < "/proc/$pp/comm" 2>/dev/null && [ "$comm" = setsid ]; then
  kill -s KILL "$pp" 2>/dev/null
fi
# Fails only when no member of the group is left, i.e. the task already ended.
kill -s KILL -- "-$pg" 2>/dev/null || true`;

/** Reported when the signal had aborted before anything was started (128 + SIGKILL). */
const EXIT_CODE_NOT_STARTED_KILLED = 137;

export class DockerNodeRuntime implements NodeRuntime {
  readonly docker: Dockerode;
  private readonly log: Logger;
  private readonly taskContainers: TaskContainers;

  constructor(options: DockerNodeRuntimeOptions = {}) {
    this.docker = options.docker ?? new Dockerode();
    this.log = options.logger ?? createLogger("malachite:docker");
    this.taskContainers = new TaskContainers(this.docker, this.log);
  }

  private call<T>(what: string, context: Record<string, unknown>, fn: () => Promise<T>): Promise<T>;
  private call<T>(what: string, context: Record<string, unknown>, fn: () => Promise<T>, tolerate: number[]): Promise<T | undefined>;
  private call<T>(what: string, context: Record<string, unknown>, fn: () => Promise<T>, tolerate?: number[]) {
    return tolerate ? dockerCall(this.docker, this.log, what, context, fn, { tolerate }) : dockerCall(this.docker, this.log, what, context, fn);
  }

  async startNode(spec: NodeContainerSpec): Promise<StartedNodeContainer> {
    const options: Dockerode.ContainerCreateOptions = {
      name: spec.name,
      Image: spec.image,
      Cmd: ["sleep", "infinity"],
      Labels: spec.labels,
      HostConfig: {
        NetworkMode: "host",
        Init: true,
        Binds: [`${spec.hostNodeRootDir}:${spec.nodeRootDir}`],
        AutoRemove: false,
      },
    };
    if (spec.hostname) options.Hostname = spec.hostname;

    let container: Dockerode.Container;
    try {
      container = await this.create(options);
    } catch (error) {
      throw this.explainCreateError(spec, error);
    }
    try {
      await this.call("start container", { name: spec.name }, () => container.start());
    } catch (error) {
      await this.removeNode(container.id).catch(() => undefined);
      throw error;
    }
    return { containerId: container.id, ipAddress: "127.0.0.1" };
  }

  /** Creates the container; an engine that refuses a hostname with host networking gets none. */
  private async create(options: Dockerode.ContainerCreateOptions): Promise<Dockerode.Container> {
    try {
      return await this.call("create container", { name: options.name }, () => this.docker.createContainer(options));
    } catch (error) {
      const refusedHostname =
        options.Hostname !== undefined &&
        dockerStatusCode(error) === 400 &&
        /hostname/i.test(dockerErrorMessage(error)) &&
        /network/i.test(dockerErrorMessage(error));
      if (!refusedHostname) throw error;
      this.log.debug("engine refuses a hostname with host networking; creating without it", { name: options.name });
      const { Hostname: _ignored, ...withoutHostname } = options;
      return this.call("create container", { name: options.name }, () => this.docker.createContainer(withoutHostname));
    }
  }

  private explainCreateError(spec: NodeContainerSpec, error: unknown): unknown {
    if (dockerStatusCode(error) === 404 && /image/i.test(dockerErrorMessage(error))) {
      return new Error(
        `Node image "${spec.image}" is not present on the Docker engine (Malachite never pulls images); ` +
          `build it with ensureNodeImage() after "sh docker/prepare-host.sh"`,
        { cause: error },
      );
    }
    return error;
  }

  async exec(containerId: string, spec: ExecSpec, signal?: AbortSignal): Promise<ExecResult> {
    const output = await openOutputPair(spec);
    try {
      if (signal?.aborted) return { exitCode: EXIT_CODE_NOT_STARTED_KILLED, killed: true };
      return await this.runExec(containerId, spec, output.stdout, output.stderr, signal);
    } finally {
      await output.close();
    }
  }

  private async runExec(containerId: string, spec: ExecSpec, stdout: OutputFile, stderr: OutputFile, signal: AbortSignal | undefined): Promise<ExecResult> {
    const container = this.docker.getContainer(containerId);
    const nonce = randomBytes(8).toString("hex");
    const context = { containerId: containerId.slice(0, 12), program: spec.argv[0] };
    const exec = await this.call("create exec", context, () =>
      container.exec({
        Cmd: ["setsid", "-w", "/bin/sh", "-c", WRAPPER_SCRIPT, "malachite-exec", spec.pidFile, nonce, ...spec.argv],
        Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
        WorkingDir: spec.workingDir,
        User: spec.user,
        AttachStdin: false,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
      }),
    );
    const stream = await this.call<Duplex>("start exec", context, () => exec.start({ hijack: true, stdin: false }));

    let killing: Promise<void> | undefined;
    const onAbort = () => {
      killing ??= this.killProcessGroup(container, spec.pidFile, nonce).catch((error: unknown) => {
        this.log.warn("could not kill an aborted task", { ...context, error: dockerErrorMessage(error) });
      });
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) onAbort();
    const demuxer = new ExecOutputDemuxer(stdout.stream, stderr.stream);
    try {
      await pump(stream, demuxer);
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    await killing;
    const { exitCode, pid } = await this.exitStatusOf(exec, context);
    if (pid === 0) {
      // The engine never started the wrapper (no such working dir or user, ...); its reason is on stdout.
      throw new Error(`Cannot start ${JSON.stringify(spec.argv[0])} in container ${context.containerId}: ${demuxer.stdoutHead()}`);
    }
    return { exitCode, killed: killing !== undefined };
  }

  /**
   * Exit code of a finished exec, and the pid it ran as (0: it never started). The engine may
   * need a moment after the output stream ends.
   */
  private async exitStatusOf(exec: Dockerode.Exec, context: Record<string, unknown>): Promise<{ exitCode: number; pid: number }> {
    for (let attempt = 0; ; attempt++) {
      const info = await this.call("inspect exec", context, () => exec.inspect());
      if (!info.Running && info.ExitCode !== null) return { exitCode: info.ExitCode, pid: info.Pid };
      if (attempt >= 100) throw new Error(`exec ${exec.id} did not report an exit code`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async killProcessGroup(container: Dockerode.Container, pidFile: string, nonce: string): Promise<void> {
    const context = { containerId: container.id.slice(0, 12), pidFile };
    const exec = await this.call("create kill exec", context, () =>
      container.exec({
        Cmd: ["/bin/sh", "-c", KILL_SCRIPT, "malachite-kill", pidFile, nonce],
        User: "root",
        AttachStdin: false,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
      }),
    );
    const stream = await this.call<Duplex>("start kill exec", context, () => exec.start({ hijack: true, stdin: false }));
    const output = new Collector();
    const demuxer = new ExecOutputDemuxer(output, output);
    await pump(stream, demuxer);
    const { exitCode } = await this.exitStatusOf(exec, context);
    if (exitCode !== 0) throw new Error(`kill exited with ${exitCode}: ${output.text().trim()}`);
  }

  runContainer(spec: TaskContainerSpec, signal?: AbortSignal): Promise<ExecResult> {
    return this.taskContainers.run(spec, signal);
  }

  inspectImage(image: string): Promise<ImageInfo | undefined> {
    return this.taskContainers.inspectImage(image);
  }

  /** Gone already (404) or being removed by someone else, e.g. a concurrent sweep (409), is fine. */
  waitForNodeExit(containerId: string): Promise<NodeExit> {
    return waitForContainerExit(this.docker, containerId);
  }

  isNodeRunning(containerId: string): Promise<boolean> {
    return this.call("inspect node", { containerId }, () => isContainerRunning(this.docker, containerId));
  }

  nodeStats(containerId: string): Promise<NodeStats | undefined> {
    return this.call("read node stats", { containerId: containerId.slice(0, 12) }, () => readNodeStats(this.docker, containerId));
  }

  killNode(containerId: string): Promise<void> {
    return this.call("kill node", { containerId }, () => killContainer(this.docker, containerId));
  }

  async removeNode(containerId: string): Promise<void> {
    await this.call(
      "remove container",
      { containerId: containerId.slice(0, 12) },
      () => this.docker.getContainer(containerId).remove({ force: true, v: true }),
      [404, 409],
    );
  }

  async listManaged(labels: Record<string, string | undefined>): Promise<ManagedContainer[]> {
    const label = Object.entries(labels).map(([key, value]) => (value === undefined ? key : `${key}=${value}`));
    const containers = await this.call("list containers", { label }, () => this.docker.listContainers({ all: true, filters: { label } }));
    return containers.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? c.Id).replace(/^\//, ""),
      labels: c.Labels ?? {},
    }));
  }
}
