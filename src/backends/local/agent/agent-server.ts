/**
 * The resident agent of a node: one long-lived process in the node container (its main process,
 * under docker-init) that runs the emulator's processes there, so no task costs a `docker exec`.
 * It listens on a Unix socket (root-only) and, for each run request (agent-protocol.ts):
 *
 * - resolves the user as `docker exec --user` does; makes the task's directory and gives it to
 *   the task's user when asked (with NodeRootFs: no link is followed out of the node root);
 *   checks the working directory;
 * - creates stdout/stderr (and the pid file, when asked) fresh with NodeRootFs, inside the
 *   container's node root: never through a link a task left there;
 * - spawns argv directly (no shell) in a new session, i.e. its own process group, with the
 *   container's environment plus the run's, as `docker exec` gives it;
 * - answers with the exit code (128 + n for signal n), or 127 / 126 with the reason on stderr
 *   when the program is missing or not executable, or "refused" when it cannot start at all;
 * - on a kill request, SIGKILLs the whole process group (a run not started yet never starts).
 *
 * The agent's death is the container's (docker-init exits with its only child), so the node's.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, statSync, unlinkSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import net from "node:net";
import { constants as osConstants } from "node:os";
import path from "node:path";
import { NodeRootFs } from "../files/node-root-fs.js";
import {
  AGENT_PROTOCOL_VERSION,
  EXIT_NOT_EXECUTABLE,
  EXIT_NOT_FOUND,
  EXIT_PID_FILE,
  encodeMessage,
  LineDecoder,
  type AgentMessage,
  type AgentRequest,
  type RunRequest,
} from "./agent-protocol.js";
import { resolveContainerUser, type ResolvedUser } from "./agent-user.js";
import { ReapedUsageLedger } from "./reaped-children-usage.js";

export interface AgentServerOptions {
  /** Where to listen; a stale socket there is replaced. */
  socketPath: string;
  /** The node root in this container: pid files are created inside it. */
  nodeRoot: string;
  /** Who gets the socket (mode 0600); by default the agent's own user. */
  owner?: { uid: number; gid: number };
  /** Diagnostics (the container's log); silent by default. */
  log?: (line: string) => void;
}

export interface AgentServer {
  close(): Promise<void>;
}

/** A run between its request and its answer. */
interface Run {
  killed: boolean;
  child?: ChildProcess;
}

/** Spawn errors that mean "this program cannot be run", answered as a shell answers them. */
const PROGRAM_ERRORS: Record<string, { exitCode: number; reason: string }> = {
  ENOENT: { exitCode: EXIT_NOT_FOUND, reason: "not found" },
  EACCES: { exitCode: EXIT_NOT_EXECUTABLE, reason: "Permission denied" },
  EISDIR: { exitCode: EXIT_NOT_EXECUTABLE, reason: "Is a directory" },
  ENOEXEC: { exitCode: EXIT_NOT_EXECUTABLE, reason: "Exec format error" },
};

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0);
}

/** The environment every process starts from: the container's (the agent's own), without the agent's HOME. */
function containerEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== "HOME") env[key] = value;
  return env;
}

/** Serves one connection: its runs answer on it, and are killed when it closes. */
class AgentSession {
  private readonly runs = new Map<number, Run>();
  private readonly decoder: LineDecoder;

  constructor(
    private readonly socket: net.Socket,
    private readonly nodeRoot: NodeRootFs,
    private readonly baseEnv: Record<string, string>,
    private readonly log: (line: string) => void,
    private readonly usage: ReapedUsageLedger,
  ) {
    this.decoder = new LineDecoder((message) => this.handle(message as AgentRequest));
    socket.on("data", (chunk: Buffer) => {
      try {
        this.decoder.push(chunk);
      } catch (error) {
        this.log(`malformed request, closing the connection: ${(error as Error).message}`);
        socket.destroy();
      }
    });
    socket.on("error", (error) => this.log(`connection error: ${error.message}`));
    // The emulator that asked for these runs is gone (it crashed or closed): nothing it started
    // keeps running, so that an emulator reattaching to this agent finds the node clean.
    socket.once("close", () => {
      for (const id of [...this.runs.keys()]) this.kill(id);
    });
    this.send({ type: "hello", version: AGENT_PROTOCOL_VERSION, pid: process.pid });
  }

  private send(message: AgentMessage): void {
    if (!this.socket.destroyed) this.socket.write(encodeMessage(message));
  }

  private handle(request: AgentRequest): void {
    if (request.type === "kill") {
      this.kill(request.id);
    } else if (request.type === "run") {
      const run: Run = { killed: false };
      this.runs.set(request.id, run);
      this.start(request, run).catch((error: unknown) => {
        this.runs.delete(request.id);
        this.send({ type: "refused", id: request.id, message: (error as Error).message });
      });
    } else {
      throw new Error(`unknown request type ${JSON.stringify((request as { type: unknown }).type)}`);
    }
  }

  private kill(id: number): void {
    const run = this.runs.get(id);
    if (!run) return; // answered already
    run.killed = true;
    const pid = run.child?.pid;
    if (pid === undefined) return; // not started yet: start() sees `killed`
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // the group is gone already
    }
  }

  private finish(id: number, fields: { exitCode: number; signal?: string; pid?: number; wallMs: number }): void {
    const run = this.runs.get(id);
    this.runs.delete(id);
    const { wallMs, ...rest } = fields;
    // Only a run that had a process was reaped: its CPU time and I/O are the ledger's latest delta.
    const used = rest.pid === undefined ? {} : this.usage.take();
    this.send({ type: "exit", id, ...rest, killed: run?.killed ?? false, usage: { wallMs, ...used } });
  }

  private async start(request: RunRequest, run: Run): Promise<void> {
    let user: ResolvedUser;
    try {
      user = resolveContainerUser(request.user);
    } catch (error) {
      throw new Error(`unable to find user: ${(error as Error).message}`);
    }
    if (request.prepare) {
      await this.nodeRoot.mkdir(request.prepare.directory);
      await this.nodeRoot.chownTree(request.prepare.ownTree, request.prepare.uid, request.prepare.gid);
    }
    if (!isDirectory(request.cwd)) throw new Error(`chdir to cwd (${JSON.stringify(request.cwd)}) failed: no such file or directory`);
    const outputRoot = new NodeRootFs(request.outputRoot);
    const handles: FileHandle[] = [];
    try {
      const stdout = await outputRoot.createFresh(request.stdout);
      handles.push(stdout);
      const stderr = await outputRoot.createFresh(request.stderr);
      handles.push(stderr);
      let pidFile: FileHandle | undefined;
      if (request.pidFile !== undefined) {
        try {
          pidFile = await this.nodeRoot.createFresh(request.pidFile);
          handles.push(pidFile);
        } catch (error) {
          await stderr.write(`malachite: cannot record the process group in ${request.pidFile}: ${(error as Error).message}\n`);
          this.finish(request.id, { exitCode: EXIT_PID_FILE, wallMs: 0 });
          return;
        }
      }
      if (run.killed) {
        this.finish(request.id, { exitCode: 128 + osConstants.signals.SIGKILL, wallMs: 0 });
        return;
      }
      await this.spawn(request, run, user, stdout, stderr, pidFile);
    } finally {
      await Promise.all(handles.map((handle) => handle.close().catch(() => undefined)));
    }
  }

  /** Resolves once the process runs (or could not be run); its end is answered later. */
  private async spawn(request: RunRequest, run: Run, user: ResolvedUser, stdout: FileHandle, stderr: FileHandle, pidFile?: FileHandle): Promise<void> {
    const [program = "", ...args] = request.argv;
    const env = { ...this.baseEnv, HOME: user.home, ...request.env };
    const sameUser = user.uid === process.getuid?.() && user.gid === process.getgid?.();
    const startedAt = performance.now();
    const cannotRun = async (error: unknown) => {
      const known = PROGRAM_ERRORS[errnoCode(error) ?? ""];
      if (!known) throw error;
      await stderr.write(`malachite: ${program}: ${known.reason}\n`).catch(() => undefined);
      this.finish(request.id, { exitCode: known.exitCode, wallMs: performance.now() - startedAt });
    };
    // Node (libuv) drops every supplementary group when it sets the uid: a user that has some gets
    // them from util-linux's setpriv instead, which then executes the program.
    const withGroups = !sameUser && user.groups.length > 0 && process.getuid?.() === 0;
    const [file, fileArgs] = withGroups
      ? ["setpriv", [`--reuid=${user.uid}`, `--regid=${user.gid}`, `--groups=${user.groups.join(",")}`, "--", program, ...args]]
      : [program, args];
    let child: ChildProcess;
    try {
      child = spawn(file, fileArgs, {
        cwd: request.cwd,
        env,
        ...(sameUser || withGroups ? {} : { uid: user.uid, gid: user.gid }),
        detached: true, // setsid(): its own session and process group
        stdio: ["ignore", stdout.fd, stderr.fd],
      });
    } catch (error) {
      if (PROGRAM_ERRORS[errnoCode(error) ?? ""]) return cannotRun(error);
      throw new Error(`cannot start ${JSON.stringify(program)}: ${(error as Error).message}`);
    }
    const pid = child.pid;
    if (pid === undefined) {
      // Not started: the reason comes as an 'error' event.
      const error = await new Promise<Error>((resolve) => child.once("error", resolve));
      return cannotRun(error);
    }
    run.child = child;
    child.once("exit", (code, signal) => {
      this.finish(request.id, { exitCode: exitCodeOf(code, signal), ...(signal ? { signal } : {}), pid, wallMs: performance.now() - startedAt });
    });
    child.on("error", (error) => this.log(`process ${pid}: ${error.message}`));
    if (run.killed) this.kill(request.id);
    if (pidFile) await pidFile.write(`${pid} ${process.pid} ${request.nonce ?? ""}\n`);
  }
}

function isDirectory(dir: string): boolean {
  try {
    return path.isAbsolute(dir) && statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Listens on `socketPath` (mode 0600) and serves every connection until closed. */
export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const log = options.log ?? (() => undefined);
  const nodeRoot = new NodeRootFs(options.nodeRoot);
  const baseEnv = containerEnvironment();
  try {
    unlinkSync(options.socketPath);
  } catch (error) {
    if (errnoCode(error) !== "ENOENT") throw error;
  }
  const sockets = new Set<net.Socket>();
  // One tally for the agent's lifetime: /proc's totals are the process's, whatever the connection.
  const usage = new ReapedUsageLedger();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    new AgentSession(socket, nodeRoot, baseEnv, log, usage);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // The socket is created with the umask's mode; nobody connects before it is root-only.
    const umask = process.umask(0o177);
    try {
      server.listen(options.socketPath, () => {
        server.off("error", reject);
        resolve();
      });
    } finally {
      process.umask(umask); // the socket is bound synchronously by listen()
    }
  });
  chmodSync(options.socketPath, 0o600);
  if (options.owner) chownSync(options.socketPath, options.owner.uid, options.owner.gid);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
