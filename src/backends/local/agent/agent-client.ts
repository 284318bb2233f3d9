/**
 * The emulator's end of a node agent's socket (agent-server.ts): sends run and kill requests,
 * matches each answer to its run. When the connection is lost (the agent, so the node, died),
 * every pending run ends as its processes did, killed with the container (137), and `lost` fires.
 */
import net from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { encodeMessage, LineDecoder, type AgentMessage, type AgentRequest, type ExitMessage, type HelloMessage, type RunRequest } from "./agent-protocol.js";

/** A run the agent could not start (no such working directory or user, ...). */
export class AgentRefusedError extends Error {
  constructor(readonly agentMessage: string) {
    super(agentMessage);
    this.name = "AgentRefusedError";
  }
}

/** How runs end when the agent is gone: their processes died with the container, by SIGKILL. */
export const EXIT_CODE_AGENT_LOST = 137;

interface Pending {
  resolve(exit: ExitMessage): void;
  reject(error: Error): void;
}

export class AgentClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closing = false;
  private readonly lostListeners: Array<(reason: string) => void> = [];

  private constructor(
    private readonly socket: net.Socket,
    readonly hello: HelloMessage,
  ) {
    const decoder = new LineDecoder((message) => this.receive(message as AgentMessage));
    socket.on("data", (chunk: Buffer) => {
      try {
        decoder.push(chunk);
      } catch (error) {
        socket.destroy(error as Error);
      }
    });
    socket.on("error", () => undefined); // "close" follows
    socket.once("close", () => this.onClose());
  }

  /**
   * Connects to the agent at `socketPath`, retrying while it is not listening yet, until it greets
   * or `timeoutMs` passes; `stillStarting` is asked between attempts (false: give up now).
   */
  static async connect(socketPath: string, options: { timeoutMs: number; stillStarting?: () => Promise<boolean> }): Promise<AgentClient> {
    const deadline = Date.now() + options.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await AgentClient.connectOnce(socketPath);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const notYet = code === "ENOENT" || code === "ECONNREFUSED";
        if (!notYet || Date.now() > deadline) throw new Error(`cannot reach the node agent at ${socketPath}: ${(error as Error).message}`);
        if (attempt % 10 === 9 && options.stillStarting && !(await options.stillStarting())) {
          throw new Error(`the node agent at ${socketPath} stopped before it listened`);
        }
        await delay(Math.min(10 * (attempt + 1), 100));
      }
    }
  }

  private static connectOnce(socketPath: string): Promise<AgentClient> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(socketPath);
      const decoder = new LineDecoder((message) => {
        const hello = message as HelloMessage;
        if (hello.type !== "hello") return fail(new Error(`the node agent greeted with ${JSON.stringify(message)}`));
        socket.off("data", onData);
        socket.off("error", fail);
        socket.off("close", onClose);
        socket.pause();
        const client = new AgentClient(socket, hello);
        socket.unref();
        socket.resume();
        resolve(client);
      });
      const onData = (chunk: Buffer) => decoder.push(chunk);
      const fail = (error: Error) => {
        socket.destroy();
        reject(error);
      };
      const onClose = () => fail(Object.assign(new Error("the node agent closed the connection"), { code: "ECONNREFUSED" }));
      socket.on("data", onData);
      socket.once("error", fail);
      socket.once("close", onClose);
    });
  }

  /** Called once if the connection is lost without `close()`. */
  onLost(listener: (reason: string) => void): void {
    this.lostListeners.push(listener);
  }

  /** Runs a process; `kill()` ends its process group. Rejects with AgentRefusedError if it cannot start. */
  run(request: Omit<RunRequest, "type" | "id">): { done: Promise<ExitMessage>; kill(): void } {
    const id = this.nextId++;
    const done = new Promise<ExitMessage>((resolve, reject) => {
      if (this.socket.destroyed) {
        resolve(this.lostExit(id));
        return;
      }
      this.pending.set(id, { resolve, reject });
      this.socket.ref(); // a run in flight keeps the process alive; an idle connection does not
    });
    this.send({ type: "run", id, ...request });
    return { done, kill: () => this.pending.has(id) && this.send({ type: "kill", id }) };
  }

  private send(request: AgentRequest): void {
    if (!this.socket.destroyed) this.socket.write(encodeMessage(request));
  }

  private receive(message: AgentMessage): void {
    if (message.type === "hello") return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.socket.unref();
    if (message.type === "exit") pending.resolve(message);
    else pending.reject(new AgentRefusedError(message.message));
  }

  private lostExit(id: number): ExitMessage {
    return { type: "exit", id, exitCode: EXIT_CODE_AGENT_LOST, signal: "SIGKILL", killed: false, usage: { wallMs: 0 } };
  }

  private onClose(): void {
    for (const [id, pending] of this.pending) pending.resolve(this.lostExit(id));
    this.pending.clear();
    if (this.closing) return;
    for (const listener of this.lostListeners) listener("the connection to the node agent was lost");
  }

  /** Closes the connection; pending runs end as if the agent were gone. */
  close(): void {
    this.closing = true;
    this.socket.destroy();
  }
}
