import type {
  ExecResult,
  ExecSpec,
  ImageInfo,
  ManagedContainer,
  NodeExit,
  NodeRuntime,
  StartedNodeContainer,
} from "../src/backends/local/docker/node-runtime.js";

/**
 * Nodes without Docker for the control-plane bench: a node starts at once, and every task runs
 * (stays running) until it is stopped, so a job has a few running tasks and many active ones and
 * only the emulator's own work is measured. Helper commands of the emulator itself (ending a
 * process group) return at once.
 */
export class ParkedNodeRuntime implements NodeRuntime {
  private readonly nodes = new Map<string, { exited: Promise<NodeExit>; stop: () => void; running: Set<() => void> }>();
  private readonly stopped = new Set<string>();
  private nextId = 0;

  startNode(): Promise<StartedNodeContainer> {
    const containerId = `parked-node-${this.nextId++}`;
    let stopped!: (exit: NodeExit) => void;
    const exited = new Promise<NodeExit>((resolve) => (stopped = resolve));
    const running = new Set<() => void>();
    const stop = (): void => {
      for (const end of [...running]) end();
      stopped({ exitCode: 137 });
    };
    this.nodes.set(containerId, { exited, stop, running });
    return Promise.resolve({ containerId, ipAddress: "127.0.0.1" });
  }

  exec(containerId: string, spec: ExecSpec, signal?: AbortSignal): Promise<ExecResult> {
    if (spec.argv.includes("malachite-end")) return Promise.resolve({ exitCode: 0, killed: false });
    const node = this.nodes.get(containerId);
    return new Promise((resolve) => {
      const end = (): void => {
        node?.running.delete(end);
        signal?.removeEventListener("abort", end);
        resolve({ exitCode: 137, killed: true });
      };
      if (!node || signal?.aborted) return end();
      node.running.add(end);
      signal?.addEventListener("abort", end, { once: true });
    });
  }

  runContainer(_spec: unknown, signal?: AbortSignal): Promise<ExecResult> {
    return new Promise((resolve) => signal?.addEventListener("abort", () => resolve({ exitCode: 137, killed: true }), { once: true }));
  }

  inspectImage(image: string): Promise<ImageInfo | undefined> {
    return Promise.resolve({ id: image, env: [] });
  }

  removeNode(containerId: string): Promise<void> {
    this.nodes.get(containerId)?.stop();
    this.nodes.delete(containerId);
    return Promise.resolve();
  }

  waitForNodeExit(containerId: string): Promise<NodeExit> {
    return this.nodes.get(containerId)?.exited ?? Promise.resolve({});
  }

  isNodeRunning(containerId: string): Promise<boolean> {
    return Promise.resolve(this.nodes.has(containerId) && !this.stopped.has(containerId));
  }

  killNode(containerId: string): Promise<void> {
    this.stopped.add(containerId);
    this.nodes.get(containerId)?.stop();
    return Promise.resolve();
  }

  listManaged(): Promise<ManagedContainer[]> {
    return Promise.resolve([]);
  }
}
