/**
 * The resident agents of the node containers this runtime started (agent/agent-server.ts): each
 * container's main process is the agent (under docker-init). Its bundle and its socket are in a
 * directory of its own next to the node's root (`<node root>.agent-<id>`, root-only), bind-mounted
 * at AGENT_DIR: a host path the engine sees even when Malachite itself runs in a container with
 * only its data directory mounted. Tasks then run over that socket instead of one `docker exec`
 * each. A connection lost without being released means the agent died: the container is killed
 * too, so the node's death is noticed as any container's (node-health.ts).
 */
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type Dockerode from "dockerode";
import type { Logger } from "../../../core/logger.js";
import { AgentClient, AgentRefusedError } from "../agent/agent-client.js";
import { agentBundlePath } from "../agent/agent-bundle.js";
import { agentDirectoryId, newAgentDirectory, nodeRootOfAgentDirectory } from "./agent-directory.js";
import { dockerStatusCode } from "./docker-call.js";
import type { ExecResult, ExecSpec, NodeContainerSpec } from "./node-runtime.js";
import { processUsageOf } from "../agent/exit-usage.js";
import { isContainerRunning, killContainer } from "./node-liveness.js";

/** Where the agent's directory is mounted in the container. */
export const AGENT_DIR = "/run/malachite-agent";
const AGENT_SOCKET = "agent.sock";
const AGENT_BUNDLE = "node-agent.cjs";
/** A Unix socket's path must fit in 108 bytes; longer ones are reached through a short link here. */
const MAX_SOCKET_PATH = 100;
const SHORT_LINKS = path.join(os.tmpdir(), "malachite-agents");
/** How long a started container's agent has to listen. */
const AGENT_START_TIMEOUT_MS = 30_000;

export interface NodeAgent {
  containerId: string;
  client: AgentClient;
  /** The node root on the host and in the container. */
  hostNodeRoot: string;
  nodeRoot: string;
  agentDir: string;
}

/** What a node container needs to run its agent. */
export interface AgentLaunch {
  cmd: string[];
  binds: string[];
  agentDir: string;
}

export class NodeAgents {
  private readonly agents = new Map<string, Promise<NodeAgent>>();

  constructor(
    private readonly docker: Dockerode,
    private readonly log: Logger,
  ) {}

  /** A fresh agent directory with the bundle in it, and the container's command and binds for the agent. */
  async prepare(spec: NodeContainerSpec): Promise<AgentLaunch> {
    const bundle = await agentBundlePath();
    const agentDir = newAgentDirectory(spec.hostNodeRootDir);
    await mkdir(agentDir, { mode: 0o700 });
    await copyFile(bundle, path.join(agentDir, AGENT_BUNDLE));
    return {
      // The socket is this process's user's: the emulator need not be root.
      cmd: [
        "node",
        path.posix.join(AGENT_DIR, AGENT_BUNDLE),
        path.posix.join(AGENT_DIR, AGENT_SOCKET),
        spec.nodeRootDir,
        `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
      ],
      binds: [`${agentDir}:${AGENT_DIR}`],
      agentDir,
    };
  }

  /** A launch whose container was never created: its socket directory goes. */
  async discard(launch: AgentLaunch): Promise<void> {
    await rm(launch.agentDir, { recursive: true, force: true });
    await rm(shortLinkOf(launch.agentDir), { force: true });
  }

  /** Waits for a just-started container's agent and keeps its connection. */
  async connect(containerId: string, spec: NodeContainerSpec, launch: AgentLaunch): Promise<void> {
    const agent = this.open(containerId, spec.hostNodeRootDir, spec.nodeRootDir, launch.agentDir);
    this.agents.set(containerId, agent);
    await agent.catch((error: unknown) => {
      this.agents.delete(containerId);
      throw error;
    });
  }

  private async open(containerId: string, hostNodeRoot: string, nodeRoot: string, agentDir: string): Promise<NodeAgent> {
    const client = await AgentClient.connect(await reachableSocketPath(agentDir), {
      timeoutMs: AGENT_START_TIMEOUT_MS,
      stillStarting: () => isContainerRunning(this.docker, containerId),
    }).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}; the node container's output: ${await this.lastOutput(containerId)}`, { cause: error });
    });
    client.onLost((reason) => {
      this.agents.delete(containerId);
      this.log.warn(`node agent lost: ${reason}; its node container goes with it`, { containerId: containerId.slice(0, 12) });
      killContainer(this.docker, containerId).catch((error: unknown) => this.log.warn("cannot kill a node whose agent died", { error: String(error) }));
    });
    return { containerId, client, hostNodeRoot, nodeRoot, agentDir };
  }

  /** The last lines a container printed (the agent's complaints), for an error message. */
  private async lastOutput(containerId: string): Promise<string> {
    try {
      const logs = await this.docker.getContainer(containerId).logs({ stdout: true, stderr: true, tail: 10, follow: false });
      const text = framesText(Buffer.from(logs)).trim();
      return text === "" ? "(none)" : JSON.stringify(text);
    } catch (error) {
      return `(unavailable: ${(error as Error).message})`;
    }
  }

  /** The agent of a node container, attached to from the container's mounts if this runtime did not start it. */
  of(containerId: string): Promise<NodeAgent> {
    let agent = this.agents.get(containerId);
    if (!agent) {
      agent = this.attach(containerId);
      this.agents.set(containerId, agent);
      agent.catch(() => this.agents.delete(containerId));
    }
    return agent;
  }

  private async attach(containerId: string): Promise<NodeAgent> {
    const info = await this.docker.getContainer(containerId).inspect();
    const agentDir = info.Mounts.find((m) => m.Destination === AGENT_DIR)?.Source;
    const nodeRoot = info.Config.Cmd?.[3];
    const hostNodeRoot = info.Mounts.find((m) => m.Destination === nodeRoot)?.Source;
    if (!agentDir || !nodeRoot || !hostNodeRoot) throw new Error(`container ${containerId.slice(0, 12)} is not a node with an agent`);
    return this.open(containerId, hostNodeRoot, nodeRoot, agentDir);
  }

  /** Closes the connection to a node's agent (about to be removed) and removes its socket directory. */
  async release(containerId: string): Promise<void> {
    const known = this.agents.get(containerId);
    this.agents.delete(containerId);
    let agentDir: string | undefined;
    if (known) {
      const agent = await known.catch(() => undefined);
      agent?.client.close();
      agentDir = agent?.agentDir;
    } else {
      agentDir = await this.docker
        .getContainer(containerId)
        .inspect()
        .then((info) => info.Mounts.find((m) => m.Destination === AGENT_DIR)?.Source)
        .catch((error: unknown) => {
          if (dockerStatusCode(error) !== 404) this.log.debug("cannot inspect a node being removed", { error: String(error) });
          return undefined;
        });
    }
    // Only an agent directory is ever removed, whatever a container's mounts say.
    if (agentDir && nodeRootOfAgentDirectory(agentDir) !== undefined) {
      await rm(agentDir, { recursive: true, force: true });
      await rm(shortLinkOf(agentDir), { force: true });
    }
  }
}

/** The short link through which an agent directory's socket is reached when its own path is too long. */
function shortLinkOf(agentDir: string): string {
  return path.join(SHORT_LINKS, agentDirectoryId(agentDir));
}

async function reachableSocketPath(agentDir: string): Promise<string> {
  const direct = path.join(agentDir, AGENT_SOCKET);
  if (Buffer.byteLength(direct) <= MAX_SOCKET_PATH) return direct;
  const link = shortLinkOf(agentDir);
  await mkdir(SHORT_LINKS, { recursive: true, mode: 0o700 });
  await rm(link, { force: true });
  await symlink(agentDir, link);
  return path.join(link, AGENT_SOCKET);
}

/** The text of Docker's framed log stream (an 8-byte header per frame: stream, 0, 0, 0, length). */
function framesText(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length && buffer[offset + 1] === 0 && buffer[offset + 2] === 0 && buffer[offset + 3] === 0) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  parts.push(buffer.subarray(offset));
  return Buffer.concat(parts).toString("utf8");
}

/** Maps a host path inside the node root into the container. */
function inContainer(agent: NodeAgent, hostPath: string): string {
  const relative = path.relative(agent.hostNodeRoot, hostPath);
  if (relative.startsWith("..") || path.isAbsolute(relative)) throw new Error(`${hostPath} is not inside the node's directory ${agent.hostNodeRoot}`);
  return path.posix.join(agent.nodeRoot, ...relative.split(path.sep));
}

/** Runs `spec` through a node's agent: NodeRuntime.exec's contract. */
export async function runOnAgent(agent: NodeAgent, spec: ExecSpec, signal?: AbortSignal): Promise<ExecResult> {
  const outputRoot = spec.hostRoot ?? agent.hostNodeRoot;
  const run = agent.client.run({
    argv: spec.argv,
    env: spec.env,
    cwd: spec.workingDir,
    user: spec.user,
    outputRoot: inContainer(agent, outputRoot),
    stdout: path.relative(outputRoot, spec.stdoutPath),
    stderr: path.relative(outputRoot, spec.stderrPath),
    ...(spec.prepare === undefined
      ? {}
      : {
          prepare: {
            directory: path.posix.relative(agent.nodeRoot, spec.prepare.directory),
            ownTree: path.posix.relative(agent.nodeRoot, spec.prepare.ownTree),
            uid: spec.prepare.uid,
            gid: spec.prepare.gid,
          },
        }),
    ...(spec.pidFile === undefined ? {} : { pidFile: path.posix.relative(agent.nodeRoot, spec.pidFile), nonce: randomBytes(8).toString("hex") }),
  });
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    run.kill();
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) onAbort();
  try {
    const exit = await run.done;
    const usage = processUsageOf(exit);
    return { exitCode: exit.exitCode, killed: aborted, ...(usage ? { usage } : {}) };
  } catch (error) {
    if (!(error instanceof AgentRefusedError)) throw error;
    throw new Error(`Cannot start ${JSON.stringify(spec.argv[0])} in container ${agent.containerId.slice(0, 12)}: ${error.agentMessage}`);
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}
