/**
 * NodeRuntime on a Docker engine: one long-lived container per compute node (host networking,
 * docker-init as PID 1, the node root bind-mounted) whose main process is the node's resident
 * agent, which runs the tasks (node-agents.ts); container tasks run in containers of their own
 * (task-containers.ts).
 */
import Dockerode from "dockerode";
import { createLogger, type Logger } from "../../../core/logger.js";
import { dockerCall, dockerErrorMessage, dockerStatusCode } from "./docker-call.js";
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
import { AGENT_PROTOCOL_VERSION } from "../agent/agent-protocol.js";
import { NodeAgents, runOnAgent } from "./node-agents.js";
import { isContainerRunning, killContainer, waitForContainerExit } from "./node-liveness.js";
import { readNodeStats } from "./node-stats.js";
import { TaskContainers } from "./task-containers.js";

export interface DockerNodeRuntimeOptions {
  /** The engine client; by default `new Dockerode()`, which honours DOCKER_HOST or the local socket. */
  docker?: Dockerode;
  logger?: Logger;
}

export class DockerNodeRuntime implements NodeRuntime {
  /** The node's agent makes a task's directories and gives them to its user (ExecSpec.prepare). */
  readonly preparesTaskDirectories = true;
  readonly docker: Dockerode;
  private readonly log: Logger;
  private readonly taskContainers: TaskContainers;
  private readonly agents: NodeAgents;

  constructor(options: DockerNodeRuntimeOptions = {}) {
    this.docker = options.docker ?? new Dockerode();
    this.log = options.logger ?? createLogger("malachite:docker");
    this.taskContainers = new TaskContainers(this.docker, this.log);
    this.agents = new NodeAgents(this.docker, this.log);
  }

  private call<T>(what: string, context: Record<string, unknown>, fn: () => Promise<T>): Promise<T>;
  private call<T>(what: string, context: Record<string, unknown>, fn: () => Promise<T>, tolerate: number[]): Promise<T | undefined>;
  private call<T>(what: string, context: Record<string, unknown>, fn: () => Promise<T>, tolerate?: number[]) {
    return tolerate ? dockerCall(this.docker, this.log, what, context, fn, { tolerate }) : dockerCall(this.docker, this.log, what, context, fn);
  }

  async startNode(spec: NodeContainerSpec): Promise<StartedNodeContainer> {
    const agent = await this.agents.prepare(spec);
    const options: Dockerode.ContainerCreateOptions = {
      name: spec.name,
      Image: spec.image,
      Cmd: agent.cmd,
      Labels: spec.labels,
      HostConfig: {
        NetworkMode: "host",
        Init: true,
        Binds: [`${spec.hostNodeRootDir}:${spec.nodeRootDir}`, ...agent.binds],
        AutoRemove: false,
      },
    };
    if (spec.hostname) options.Hostname = spec.hostname;

    let container: Dockerode.Container;
    try {
      container = await this.create(options);
    } catch (error) {
      await this.agents.discard(agent);
      throw this.explainCreateError(spec, error);
    }
    try {
      await this.call("start container", { name: spec.name }, () => container.start());
      await this.agents.connect(container.id, spec, agent);
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
    const node = await this.agents.of(containerId);
    return runOnAgent(node, spec, signal);
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

  /**
   * A running container whose agent answers on its socket (the agent directory is found from its
   * mounts) in this Malachite's protocol: an agent of another version (Malachite was upgraded
   * meanwhile) is not adopted; its node reboots on a new container.
   */
  async adoptNode(containerId: string): Promise<boolean> {
    if (!(await this.isNodeRunning(containerId))) return false;
    try {
      const agent = await this.agents.of(containerId);
      const version = agent.client.hello.version;
      if (version !== AGENT_PROTOCOL_VERSION) throw new Error(`its agent speaks protocol ${version}, this Malachite ${AGENT_PROTOCOL_VERSION}`);
      return true;
    } catch (error) {
      this.log.warn(`cannot reattach to the agent of node container ${containerId.slice(0, 12)}: ${(error as Error).message}`);
      return false;
    }
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
    await this.agents.release(containerId);
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
