/**
 * NodeRuntime in memory: nodes are records, processes are scripted programs (fake-programs.ts)
 * that write their output to the host paths they are given and run on a FakeClock. Every call
 * is recorded for assertions.
 */
import path from "node:path";
import {
  ContainerImageNotFoundError,
  ContainerStartError,
  type ExecResult,
  type ExecSpec,
  type ImageInfo,
  type ManagedContainer,
  type NodeContainerSpec,
  type NodeExit,
  type NodeRuntime,
  type NodeStats,
  type StartedNodeContainer,
  type TaskContainerSpec,
} from "../../src/backends/local/docker/node-runtime.js";
import type { Clock } from "../../src/backends/local/state/clock.js";
import { runProcess, type OutputPaths, type ProcessRecord } from "./fake-process.js";
import { lookUp, notFound, standardPrograms, type Program } from "./fake-programs.js";
import { Gate } from "./gate.js";
import { FakeNodeUsers } from "./fake-node-users.js";
import { HeldProgram } from "./held-program.js";

export interface FakeNode {
  containerId: string;
  spec: NodeContainerSpec;
  /** False once the container has stopped (crashed, killed); it is listed until removed. */
  running: boolean;
  /** Aborts when the node's container stops: its processes die with it. */
  gone: AbortController;
  /** Settles when the container stops (removed, or crashed by the test). */
  exited: Promise<NodeExit>;
  stop(exit: NodeExit): void;
}

interface TaskContainer {
  name: string;
  labels: Record<string, string>;
}

type NodeStartHook = (spec: NodeContainerSpec) => void | Promise<void>;

function matchesLabels(labels: Record<string, string>, wanted: Record<string, string | undefined>): boolean {
  return Object.entries(wanted).every(([key, value]) => (value === undefined ? key in labels : labels[key] === value));
}

export class FakeNodeRuntime implements NodeRuntime {
  /** Programs by argv[0] or its base name; the standard ones are there from the start. */
  readonly programs = new Map<string, Program>(Object.entries(standardPrograms));
  /** What runs when no program matches: by default, "not found" (127). */
  fallback: Program = notFound;
  /** Images `inspectImage` and `runContainer` find. */
  readonly images = new Map<string, ImageInfo>();
  /** Node containers by id, stopped ones until they are removed. */
  readonly nodes = new Map<string, FakeNode>();
  /** Every `startNode` call, in order, whether it succeeded or not. */
  readonly nodeStarts: NodeContainerSpec[] = [];
  /** Every removed container id, in order. */
  readonly removed: string[] = [];
  readonly processes: ProcessRecord[] = [];
  /** Each node container's users and groups, which `useradd`, `usermod`, `userdel`, `groupadd` and `getent` change and read. */
  readonly users = new FakeNodeUsers();
  /** Called by every `startNode` before the node exists: throw to fail it, await to make it slow. */
  beforeNodeStart?: NodeStartHook;
  /** While set, a killed process dies only once this settles (a kill takes time, as `docker exec kill` does). */
  killsTakeEffect?: Promise<void>;
  /** What `nodeStats` reports for every running node (scripted resource use for the autoscale metrics). */
  stats?: NodeStats;
  /**
   * Whether node containers and their agents outlive the emulator process using this runtime, so
   * that a restart carrying this runtime over (startOn) adopts them; off, `adoptNode` refuses.
   */
  agentsSurviveRestart = false;
  /** Aborts when the emulator process using this runtime dies (`emulatorDied`). */
  private emulator = new AbortController();
  private readonly taskContainers = new Map<string, TaskContainer>();
  private readonly gates = new Set<Gate>();
  private nextId = 1;

  constructor(private readonly clock: Clock) {}

  /** Registers a program whose processes run until the test finishes them. */
  hold(name: string): HeldProgram {
    const held = new HeldProgram();
    this.programs.set(name, held.program);
    return held;
  }

  /** Node starts wait until the returned gate opens. */
  holdNodeStarts(): Gate {
    const gate = this.gate();
    this.beforeNodeStart = () => gate.opened;
    return gate;
  }

  /** Kills take effect only once the returned gate opens; later kills at once again. */
  holdKills(): Gate {
    const gate = this.gate();
    this.killsTakeEffect = gate.opened.then(() => {
      this.killsTakeEffect = undefined;
    });
    return gate;
  }

  /** Node starts fail with this message, as a Docker error would. */
  failNodeStarts(message: string): void {
    this.beforeNodeStart = () => {
      throw new Error(message);
    };
  }

  /** A gate `releaseAll` opens, so that shutting down never waits on the test. */
  gate(): Gate {
    const gate = new Gate();
    this.gates.add(gate);
    return gate;
  }

  /** Opens every gate: for closing a test bed whatever state its test left behind. */
  releaseAll(): void {
    for (const gate of this.gates) gate.open();
  }

  addImage(image: string, env: string[] = []): void {
    this.images.set(image, { id: `sha256:${image.replace(/[^a-z0-9]/gi, "")}`, env });
  }

  /** Processes of one task (by AZ_BATCH_TASK_ID), in the order they started. */
  processesOf(taskId: string): ProcessRecord[] {
    return this.processes.filter((p) => p.env.AZ_BATCH_TASK_ID === taskId);
  }

  async startNode(spec: NodeContainerSpec): Promise<StartedNodeContainer> {
    this.nodeStarts.push(spec);
    await this.beforeNodeStart?.(spec);
    const containerId = `fake-node-${this.nextId++}`;
    const gone = new AbortController();
    let stopped!: (exit: NodeExit) => void;
    const exited = new Promise<NodeExit>((resolve) => {
      stopped = resolve;
    });
    const node: FakeNode = {
      containerId,
      spec,
      running: true,
      gone,
      exited,
      stop: (exit) => {
        node.running = false;
        gone.abort();
        stopped(exit);
      },
    };
    this.nodes.set(containerId, node);
    return { containerId, ipAddress: "127.0.0.1" };
  }

  /** The node's container stops by itself (killed, crashed): its processes die; it stays until removed. */
  crashNode(containerId: string, exitCode = 137): void {
    const node = this.nodes.get(containerId);
    if (node?.running) node.stop({ exitCode });
  }

  /** Resolves when the node's container stops, at once if it is not running. */
  waitForNodeExit(containerId: string): Promise<NodeExit> {
    const node = this.nodes.get(containerId);
    return node?.running ? node.exited : Promise.resolve({});
  }

  isNodeRunning(containerId: string): Promise<boolean> {
    return Promise.resolve(this.nodes.get(containerId)?.running === true);
  }

  nodeStats(containerId: string): Promise<NodeStats | undefined> {
    return Promise.resolve(this.nodes.get(containerId)?.running ? this.stats : undefined);
  }

  /** As `docker kill`: the container stops (137) and stays until removed; its processes die. */
  killNode(containerId: string): Promise<void> {
    this.crashNode(containerId, 137);
    return Promise.resolve();
  }

  /**
   * The emulator using this runtime is killed (kill -9): as each node's agent does when its
   * connection drops, every process it started is killed, and the dead emulator never hears how
   * they ended. The containers keep running for the next process to adopt.
   */
  emulatorDied(): void {
    this.emulator.abort();
    this.emulator = new AbortController();
  }

  /** A running container, when agents survive a restart (`agentsSurviveRestart`). */
  adoptNode(containerId: string): Promise<boolean> {
    return Promise.resolve(this.agentsSurviveRestart && this.nodes.get(containerId)?.running === true);
  }

  async exec(containerId: string, spec: ExecSpec, signal?: AbortSignal): Promise<ExecResult> {
    const node = this.nodes.get(containerId);
    if (!node) throw new Error(`No such container: ${containerId}`);
    if (!node.running) throw new Error(`Container ${containerId} is not running`);
    const record: ProcessRecord = {
      kind: "exec",
      containerId,
      argv: spec.argv,
      env: spec.env,
      user: spec.user,
      workingDir: spec.workingDir,
      state: "starting",
    };
    const toHost = (nodePath: string) => node.spec.hostNodeRootDir + nodePath.slice(node.spec.nodeRootDir.length);
    const userProgram = this.users.program(containerId, spec.argv);
    const emulator = this.emulator.signal;
    const nodeGone = AbortSignal.any([node.gone.signal, emulator]);
    const result = await this.run(record, spec, (p) => this.hostPath(p, spec.workingDir, [[node.spec.nodeRootDir, toHost]]), signal, nodeGone, userProgram);
    return emulator.aborted ? new Promise<ExecResult>(() => undefined) : result;
  }

  async runContainer(spec: TaskContainerSpec, signal?: AbortSignal): Promise<ExecResult> {
    if (!this.images.has(spec.image)) throw new ContainerImageNotFoundError(spec.image);
    // As the engine: a name is one container's (tasks name theirs with --name).
    if (this.taskContainers.has(spec.name)) throw new ContainerStartError(`Conflict. The container name "/${spec.name}" is already in use.`);
    const argv = [...(spec.entrypoint ?? []), ...(spec.cmd ?? [])];
    const record: ProcessRecord = {
      kind: "container",
      containerId: spec.name,
      argv,
      env: spec.env,
      user: spec.user,
      workingDir: spec.workingDir,
      container: spec,
      state: "starting",
    };
    const mounts = spec.binds.map((bind): [string, (p: string) => string] => {
      const [host = "", inside = ""] = bind.split(":");
      return [inside, (p) => host + p.slice(inside.length)];
    });
    this.taskContainers.set(spec.name, { name: spec.name, labels: spec.labels });
    try {
      return await this.run(record, spec, (p) => this.hostPath(p, spec.workingDir, mounts), signal);
    } finally {
      this.taskContainers.delete(spec.name);
    }
  }

  inspectImage(image: string): Promise<ImageInfo | undefined> {
    return Promise.resolve(this.images.get(image));
  }

  removeNode(containerId: string): Promise<void> {
    this.removed.push(containerId);
    this.crashNode(containerId, 137);
    this.nodes.delete(containerId);
    this.taskContainers.delete(containerId);
    return Promise.resolve();
  }

  listManaged(labels: Record<string, string | undefined>): Promise<ManagedContainer[]> {
    const nodes = [...this.nodes.values()].map((n) => ({ id: n.containerId, name: n.spec.name, labels: n.spec.labels }));
    const tasks = [...this.taskContainers.values()].map((c) => ({ id: c.name, name: c.name, labels: c.labels }));
    return Promise.resolve([...nodes, ...tasks].filter((c) => matchesLabels(c.labels, labels)));
  }

  /** Maps a node path onto the host through the first mount that contains it. */
  private hostPath(nodePath: string, workingDir: string | undefined, mounts: [string, (p: string) => string][]): string {
    const absolute = path.posix.resolve(workingDir ?? "/", nodePath);
    const mount = mounts.find(([inside]) => absolute === inside || absolute.startsWith(`${inside}/`));
    if (!mount) throw new Error(`fake runtime: ${absolute} is not on a mounted path`);
    return mount[1](absolute);
  }

  private run(
    record: ProcessRecord,
    output: OutputPaths,
    hostPath: (p: string) => string,
    kill: AbortSignal | undefined,
    nodeGone?: AbortSignal,
    builtIn?: Program,
  ) {
    this.processes.push(record);
    const program = builtIn ?? lookUp(this.programs, record.argv[0]) ?? this.fallback;
    return runProcess(record, program, { output, hostPath, kill, nodeGone, clock: this.clock, killTakesEffect: () => this.killsTakeEffect });
  }
}
