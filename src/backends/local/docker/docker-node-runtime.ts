/**
 * NodeRuntime on a Docker engine: one long-lived container per compute node (host networking,
 * docker-init as PID 1, the node root bind-mounted), tasks run with `docker exec`.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { Writable, type Duplex } from "node:stream";
import Dockerode from "dockerode";
import { createLogger, type Logger } from "../../../core/logger.js";
import { dockerCall, dockerErrorMessage, dockerStatusCode } from "./docker-call.js";
import type {
  ExecResult,
  ExecSpec,
  ManagedContainer,
  NodeContainerSpec,
  NodeRuntime,
  StartedNodeContainer,
} from "./node-runtime.js";

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
  'echo "$$ $PPID $2" > "$1" || { echo "malachite: cannot record the process group in $1" >&2; ' +
  `exit ${WRAPPER_EXIT_PID_FILE}; }; shift 2; exec "$@"`;

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

  constructor(options: DockerNodeRuntimeOptions = {}) {
    this.docker = options.docker ?? new Dockerode();
    this.log = options.logger ?? createLogger("malachite:docker");
  }

  private call<T>(what: string, context: Record<string, unknown>, fn: () => Promise<T>): Promise<T>;
  private call<T>(what: string, context: Record<string, unknown>, fn: () => Promise<T>, tolerate: number[]): Promise<T | undefined>;
  private call<T>(what: string, context: Record<string, unknown>, fn: () => Promise<T>, tolerate?: number[]) {
    return tolerate
      ? dockerCall(this.docker, this.log, what, context, fn, { tolerate })
      : dockerCall(this.docker, this.log, what, context, fn);
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
    const stdout = await OutputFile.open(spec.stdoutPath);
    const stderr = await OutputFile.open(spec.stderrPath).catch(async (error: unknown) => {
      await stdout.close();
      throw error;
    });
    try {
      if (signal?.aborted) return { exitCode: EXIT_CODE_NOT_STARTED_KILLED, killed: true };
      return await this.runExec(containerId, spec, stdout, stderr, signal);
    } finally {
      await Promise.all([stdout.close(), stderr.close()]);
    }
  }

  private async runExec(
    containerId: string,
    spec: ExecSpec,
    stdout: OutputFile,
    stderr: OutputFile,
    signal: AbortSignal | undefined,
  ): Promise<ExecResult> {
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
    const stream = (await this.call("start exec", context, () => exec.start({ hijack: true, stdin: false }))) as Duplex;

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
    const stream = (await this.call("start kill exec", context, () => exec.start({ hijack: true, stdin: false }))) as Duplex;
    const output = new Collector();
    const demuxer = new ExecOutputDemuxer(output, output);
    await pump(stream, demuxer);
    const { exitCode } = await this.exitStatusOf(exec, context);
    if (exitCode !== 0) throw new Error(`kill exited with ${exitCode}: ${output.text().trim()}`);
  }

  async removeNode(containerId: string): Promise<void> {
    await this.call("remove container", { containerId: containerId.slice(0, 12) }, () =>
      this.docker.getContainer(containerId).remove({ force: true, v: true }),
      [404],
    );
  }

  async listManaged(labels: Record<string, string | undefined>): Promise<ManagedContainer[]> {
    const label = Object.entries(labels).map(([key, value]) => (value === undefined ? key : `${key}=${value}`));
    const containers = await this.call("list containers", { label }, () =>
      this.docker.listContainers({ all: true, filters: { label } }),
    );
    return containers.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? c.Id).replace(/^\//, ""),
      labels: c.Labels ?? {},
    }));
  }
}

/** A host file the output of a process goes to; opened (created/truncated) before the process starts. */
class OutputFile {
  private error: unknown;
  private readonly closed: Promise<void>;

  private constructor(readonly stream: fs.WriteStream) {
    stream.on("error", (error) => {
      this.error ??= error;
    });
    this.closed = new Promise((resolve) => stream.once("close", () => resolve()));
  }

  static async open(path: string): Promise<OutputFile> {
    const handle = await fs.promises.open(path, "w");
    return new OutputFile(handle.createWriteStream());
  }

  /** Flushes and closes the file; rejects if any write failed. */
  async close(): Promise<void> {
    if (!this.stream.writableEnded && !this.stream.destroyed) this.stream.end();
    await this.closed;
    if (this.error) throw this.error;
  }
}

/** Collects a small output in memory (the kill helper's error message). */
class Collector extends Writable {
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(chunk);
    callback();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/**
 * Splits Docker's multiplexed exec output (frames with an 8-byte header: stream type, three zero
 * bytes, big-endian length) into two writables, keeping the first bytes of stdout: when the engine
 * cannot start a process it writes its error message there.
 */
class ExecOutputDemuxer {
  private static readonly HEAD_BYTES = 4096;
  private pending: Buffer = Buffer.alloc(0);
  private readonly head: Buffer[] = [];
  private headLength = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly err: NodeJS.WritableStream,
  ) {}

  push(chunk: Buffer): void {
    let buffer = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    while (buffer.length >= 8) {
      const size = buffer.readUInt32BE(4);
      if (buffer.length < 8 + size) break;
      const payload = buffer.subarray(8, 8 + size);
      if (payload.length > 0) {
        if (buffer[0] === 2) {
          this.err.write(payload);
        } else {
          this.out.write(payload);
          if (this.headLength < ExecOutputDemuxer.HEAD_BYTES) {
            this.head.push(payload);
            this.headLength += payload.length;
          }
        }
      }
      buffer = buffer.subarray(8 + size);
    }
    this.pending = buffer;
  }

  stdoutHead(): string {
    return Buffer.concat(this.head).toString("utf8").trim();
  }
}

/** Feeds the hijacked exec stream into the demuxer; resolves when the process's output ends. */
function pump(stream: Duplex, demuxer: ExecOutputDemuxer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      stream.off("end", done);
      stream.off("close", done);
      stream.off("error", reject);
      stream.destroy();
      resolve();
    };
    stream.once("end", done);
    stream.once("close", done);
    stream.once("error", reject);
    stream.on("data", (chunk: Buffer) => demuxer.push(chunk));
  });
}
