/**
 * `malachite serve` as a child process, the way a user runs it: started from the built CLI,
 * read from its banner, stopped with SIGINT or killed with SIGKILL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { connect, createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { waitUntil } from "../../contract/wait-until.js";

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../dist/src/cli/main.js");

export interface ServeProcess {
  child: ChildProcess;
  pid: number;
  /** The banner's fields by label, e.g. `Batch account URL`, `Connection string`. */
  field(label: string): string;
  client: BatchServiceClient;
  /** Resolves with the exit code, or the signal that ended the process. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** Starts `malachite serve args...` and resolves once its banner is printed. */
export async function startServe(args: string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cli, "serve", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  await waitUntil(
    async () => ({ stdout, ended }),
    (state) => state.stdout.includes("Press Ctrl-C") || state.ended,
    { timeoutMs: 90_000, intervalMs: 50, what: "serve's banner" },
  );
  if (!stdout.includes("Press Ctrl-C")) throw new Error(`serve exited before serving:\n${stdout}\n${stderr}`);
  const field = (label: string) => {
    const value = new RegExp(`${label}:\\s+(\\S+)`).exec(stdout)?.[1];
    if (value === undefined) throw new Error(`serve printed no '${label}':\n${stdout}`);
    return value;
  };
  const client = new BatchServiceClient(new BatchSharedKeyCredentials(field("Batch account name"), field("Batch account key")), field("Batch account URL"));
  return { child, pid: child.pid as number, field, client, exited, output: () => `${stdout}\n${stderr}` };
}

/** A port of 127.0.0.1 nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** True when something accepts connections on 127.0.0.1:port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
