/**
 * What the emulator and a node's resident agent (agent-server.ts) say to each other over the
 * node's Unix socket: one JSON object per line, each way. The emulator asks the agent to run a
 * process or to kill one; the agent answers each run exactly once, with how it ended or why it
 * could not start. Shared by both sides; the agent's bundle includes it, so it imports nothing.
 */

/** Bumped when a message changes shape; the agent says it in its greeting. */
export const AGENT_PROTOCOL_VERSION = 1;

/** Start a process: argv executed directly (no shell), in its own process group. */
export interface RunRequest {
  type: "run";
  /** Chosen by the emulator, unique on the connection; answers and kills name it. */
  id: number;
  argv: string[];
  env: Record<string, string>;
  /** Absolute working directory in the container. */
  cwd: string;
  /** `root`, `uid:gid` (numeric), or a user name of the container (its primary group). */
  user: string;
  /** Where stdout and stderr go, relative to `outputRoot`; created fresh (never through a link). */
  stdout: string;
  stderr: string;
  /** Absolute directory in the container the output files must stay inside. */
  outputRoot: string;
  /**
   * Relative to the node root: where `<pgid> <agent pid> <nonce>` is recorded for later
   * (process-group.ts). If it cannot be created the process is not started (exit 125).
   */
  pidFile?: string;
  nonce?: string;
  /**
   * Done before the start, inside the node root (relative paths): `mkdir -p directory`, then
   * `ownTree` given to uid:gid recursively, links never followed.
   */
  prepare?: { directory: string; ownTree: string; uid: number; gid: number };
}

/** Kill the process group of a run (SIGKILL); a run not started yet is not started at all. */
export interface KillRequest {
  type: "kill";
  id: number;
}

export type AgentRequest = RunRequest | KillRequest;

/** Sent once on each new connection: the agent is up. */
export interface HelloMessage {
  type: "hello";
  version: number;
  pid: number;
}

/** How a run ended. A process ended by signal n reports 128 + n, as a shell does. */
export interface ExitMessage {
  type: "exit";
  id: number;
  exitCode: number;
  /** The signal's name when a signal ended it. */
  signal?: string;
  /** True when a kill request ended (or prevented) it. */
  killed: boolean;
  /** The process's pid in the container (absent when nothing was started). */
  pid?: number;
  /**
   * Resource use the agent can see: wall time from spawn to exit and, where /proc tells
   * (reaped-children-usage.ts), the run's CPU time and disk I/O. Agents before these were added
   * send `wallMs` alone, so every other field is optional.
   */
  usage: {
    wallMs: number;
    userCpuMs?: number;
    kernelCpuMs?: number;
    readBytes?: number;
    writeBytes?: number;
    readOps?: number;
    writeOps?: number;
  };
}

/** The run could not be started for a reason other than its program (no such directory or user, ...). */
export interface RefusedMessage {
  type: "refused";
  id: number;
  message: string;
}

export type AgentMessage = HelloMessage | ExitMessage | RefusedMessage;

/** Exit codes of a program that cannot be run, as a shell reports them. */
export const EXIT_NOT_FOUND = 127;
export const EXIT_NOT_EXECUTABLE = 126;
/** The process group could not be recorded: the process was not started, since it could not be ended later. */
export const EXIT_PID_FILE = 125;

export function encodeMessage(message: AgentRequest | AgentMessage): string {
  return `${JSON.stringify(message)}\n`;
}

/**
 * Splits a byte stream into lines and parses each as JSON. Bytes are kept until their line is
 * complete, so a multi-byte character split across chunks arrives whole.
 */
export class LineDecoder {
  private pending: Buffer[] = [];

  constructor(private readonly onMessage: (message: unknown) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, newline);
      const line = this.pending.length > 0 ? Buffer.concat([...this.pending, piece]) : piece;
      this.pending = [];
      start = newline + 1;
      if (line.length > 0) this.onMessage(JSON.parse(line.toString("utf8")));
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  /** Bytes received after the last complete line. */
  get buffered(): number {
    return this.pending.reduce((sum, piece) => sum + piece.length, 0);
  }
}
