/**
 * `malachite serve` started the way a user of the package or the container starts it (any
 * command line), read from its banner, and driven with the official JS SDK.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { expect } from "vitest";
import { uniqueId, waitUntil } from "../../contract/wait-until.js";

export interface Served {
  child: ChildProcess;
  client: BatchServiceClient;
  output(): string;
  /**
   * Sends SIGINT to the process group, as Ctrl-C does, and resolves with the started command's
   * exit code (`npx` itself ends by the signal: null) once every process of the group has ended.
   */
  stop(): Promise<number | null>;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs `command args...` and resolves once serve's banner is printed. */
export async function startServed(command: string, args: string[], options: SpawnOptions = {}): Promise<Served> {
  // A process group of its own, so `stop` can do what Ctrl-C on a terminal does: signal the whole
  // group. (`npx` does not pass a SIGINT sent to it alone on to the command it runs.)
  const child = spawn(command, args, { ...options, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve((exitCode = code))));
  await waitUntil(
    async () => stdout,
    (text) => text.includes("Press Ctrl-C") || exitCode !== undefined,
    { timeoutMs: 120_000, intervalMs: 100, what: `serve's banner from ${command} ${args.join(" ")}` },
  );
  if (!stdout.includes("Press Ctrl-C")) throw new Error(`serve exited (${exitCode}) before serving:\n${stdout}\n${stderr}`);
  const field = (label: string) => {
    const value = new RegExp(`${label}:\\s+(\\S+)`).exec(stdout)?.[1];
    if (value === undefined) throw new Error(`serve printed no '${label}':\n${stdout}`);
    return value;
  };
  const client = new BatchServiceClient(new BatchSharedKeyCredentials(field("Batch account name"), field("Batch account key")), field("Batch account URL"));
  return {
    child,
    client,
    output: () => `${stdout}\n${stderr}`,
    stop: async () => {
      if (exitCode === undefined) process.kill(-(child.pid as number), "SIGINT");
      const code = await exited;
      await waitUntil(
        async () => groupAlive(child.pid as number),
        (alive) => !alive,
        { timeoutMs: 60_000, what: "serve's processes to end" },
      );
      return code;
    },
  };
}

async function text(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream ?? []) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Through the JS SDK: a pool of one node, a job and a task that prints a line; waits for the
 * task to complete, reads its stdout.txt through the file API, deletes job and pool.
 */
export async function runOneTask(client: BatchServiceClient): Promise<void> {
  const poolId = uniqueId("pkg-pool");
  const jobId = uniqueId("pkg-job");
  await client.pool.add({ id: poolId, vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
  await client.job.add({ id: jobId, poolInfo: { poolId } });
  await client.task.add(jobId, { id: "hello", commandLine: "/bin/bash -c 'echo hello from $AZ_BATCH_TASK_ID'" });
  const task = await waitUntil(
    () => client.task.get(jobId, "hello"),
    (t) => t.state === "completed",
    { timeoutMs: 120_000, intervalMs: 250, what: "the task to complete" },
  );
  expect(task.executionInfo).toMatchObject({ exitCode: 0, result: "success" });
  const stdout = await client.file.getFromTask(jobId, "hello", "stdout.txt");
  expect(await text(stdout.readableStreamBody)).toBe("hello from hello\n");
  await client.job.deleteMethod(jobId);
  await client.pool.deleteMethod(poolId);
}
