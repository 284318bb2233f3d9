/**
 * Container tasks on a Docker engine, as Batch runs tasks with `containerSettings`: a new
 * container of the task's image per attempt, created (never pulled), attached, started, waited
 * for and removed. The command is Docker's exec-form Entrypoint/Cmd, so no shell interprets it;
 * docker-init is PID 1, so killing the container (SIGKILL) ends every process of the task.
 */
import type { Duplex } from "node:stream";
import type Dockerode from "dockerode";
import type { Logger } from "../../../core/logger.js";
import { dockerCall, dockerErrorMessage, dockerStatusCode } from "./docker-call.js";
import { engineHostConfig } from "./task-container-host-config.js";
import { ExecOutputDemuxer, type OutputFile, openOutputPair, pump } from "./exec-output.js";
import { ContainerImageNotFoundError, ContainerStartError, type ExecResult, type ImageInfo, type TaskContainerSpec } from "./node-runtime.js";

/** Reported when the signal had aborted before anything was started (128 + SIGKILL). */
const EXIT_CODE_NOT_STARTED_KILLED = 137;

/** Exit codes the engine gives a container whose program cannot be found / executed. */
const PROGRAM_START_EXIT_CODES = new Set([126, 127]);

export class TaskContainers {
  constructor(
    private readonly docker: Dockerode,
    private readonly log: Logger,
  ) {}

  async inspectImage(image: string): Promise<ImageInfo | undefined> {
    const info = await dockerCall(this.docker, this.log, "inspect image", { image }, () => this.docker.getImage(image).inspect(), {
      tolerate: [404],
    });
    return info ? { id: info.Id, env: info.Config?.Env ?? [] } : undefined;
  }

  async run(spec: TaskContainerSpec, signal?: AbortSignal): Promise<ExecResult> {
    const output = await openOutputPair(spec);
    const { stdout, stderr } = output;
    try {
      if (signal?.aborted) return { exitCode: EXIT_CODE_NOT_STARTED_KILLED, killed: true };
      const container = await this.create(spec);
      try {
        return await this.runCreated(container, spec, stdout, stderr, signal);
      } finally {
        await this.remove(container.id);
      }
    } finally {
      await output.close();
    }
  }

  private async create(spec: TaskContainerSpec): Promise<Dockerode.Container> {
    const options: Dockerode.ContainerCreateOptions = {
      name: spec.name,
      Image: spec.image,
      Labels: spec.labels,
      Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
      User: spec.user,
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
      OpenStdin: false,
      Tty: false,
      HostConfig: {
        ...engineHostConfig(spec.engine, spec.labels),
        NetworkMode: "host",
        Init: true,
        Binds: spec.binds,
        AutoRemove: false,
        // The output is taken from the attached stream; the engine need not keep a copy.
        LogConfig: { Type: "none", Config: {} },
      },
    };
    if (spec.entrypoint) options.Entrypoint = spec.entrypoint;
    if (spec.cmd) options.Cmd = spec.cmd;
    if (spec.workingDir) options.WorkingDir = spec.workingDir;
    try {
      return await dockerCall(this.docker, this.log, "create task container", { name: spec.name, image: spec.image }, () =>
        this.docker.createContainer(options),
      );
    } catch (error) {
      const status = dockerStatusCode(error);
      if (status === 404 && /image/i.test(dockerErrorMessage(error))) throw new ContainerImageNotFoundError(spec.image);
      // The engine refused the settings (an invalid option value, a --name already in use, ...).
      if (status === 400 || status === 409) throw new ContainerStartError(dockerErrorMessage(error));
      throw error;
    }
  }

  private async runCreated(
    container: Dockerode.Container,
    spec: TaskContainerSpec,
    stdout: OutputFile,
    stderr: OutputFile,
    signal: AbortSignal | undefined,
  ): Promise<ExecResult> {
    const context = { name: spec.name };
    // Attached before the start, so not a byte of output is missed.
    const stream = (await dockerCall(this.docker, this.log, "attach task container", context, () =>
      container.attach({ stream: true, stdout: true, stderr: true, hijack: true }),
    )) as Duplex;
    if (signal?.aborted) {
      stream.destroy();
      return { exitCode: EXIT_CODE_NOT_STARTED_KILLED, killed: true };
    }
    try {
      await dockerCall(this.docker, this.log, "start task container", context, () => container.start());
    } catch (error) {
      stream.destroy();
      return this.startFailure(container, error, stderr);
    }
    let killing: Promise<void> | undefined;
    const onAbort = () => {
      killing ??= this.kill(container).catch((error: unknown) => {
        this.log.warn("could not kill an aborted container task", { ...context, error: dockerErrorMessage(error) });
      });
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      if (signal?.aborted) onAbort();
      await pump(stream, new ExecOutputDemuxer(stdout.stream, stderr.stream));
      // The output may end before the container does (a program closing its stdout): wait for the exit.
      const status = (await dockerCall(this.docker, this.log, "wait for task container", context, () => container.wait())) as {
        StatusCode: number;
      };
      await killing;
      return { exitCode: status.StatusCode, killed: killing !== undefined };
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /**
   * A program that does not exist or cannot be executed exits 127 / 126 (the engine sets these
   * codes), with the engine's message on stderr as a shell would print one; anything else the
   * engine refuses (an unknown user, ...) is a ContainerStartError.
   */
  private async startFailure(container: Dockerode.Container, error: unknown, stderr: OutputFile): Promise<ExecResult> {
    const message = dockerErrorMessage(error);
    const info = await container.inspect().catch(() => undefined);
    const exitCode = info?.State?.ExitCode;
    if (exitCode !== undefined && PROGRAM_START_EXIT_CODES.has(exitCode)) {
      stderr.stream.write(`malachite: ${message}\n`);
      return { exitCode, killed: false };
    }
    throw new ContainerStartError(message);
  }

  private async kill(container: Dockerode.Container): Promise<void> {
    // 409: no longer running, which is what was wanted.
    await dockerCall(this.docker, this.log, "kill task container", { containerId: container.id.slice(0, 12) }, () => container.kill({ signal: "SIGKILL" }), {
      tolerate: [404, 409],
    });
  }

  private async remove(containerId: string): Promise<void> {
    await dockerCall(
      this.docker,
      this.log,
      "remove task container",
      { containerId: containerId.slice(0, 12) },
      () => this.docker.getContainer(containerId).remove({ force: true, v: true }),
      { tolerate: [404, 409] },
    ).catch((error: unknown) => this.log.warn("could not remove a task container", { containerId, error: dockerErrorMessage(error) }));
  }
}
