import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Dockerode from "dockerode";
import { ensureNodeImage } from "../src/backends/local/docker/node-image.js";

/** The CLI as installed: `dist/src/cli/main.js` next to this file's `dist/bench/`. */
const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function medianOf(runs: number, measure: () => Promise<number>): Promise<{ median: number; runs: number[] }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await measure());
  return { median: median(times), runs: times };
}

/** Wall time of a child process from spawn to exit; a non-zero exit fails the bench. */
function processWallTimeMs(args: string[], cwd = process.cwd()): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`node ${args.join(" ")} exited ${code}: ${stderr}`))));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

/** The status of `GET url`, or undefined while nothing listens. */
function statusOf(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", () => resolve(undefined));
    req.end();
  });
}

/**
 * From `malachite serve`'s spawn to its first answer that is not "starting" (a 200 to List
 * Pools; before the backend is up the endpoint answers 503 ServerBusy), asked every 10 ms.
 */
async function serveFirstAnswerMs(): Promise<number> {
  const [port, blobPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "malachite-bench-serve-"));
  const args = ["serve", "--no-auth", "--in-memory", "--data-dir", dataDir, "--port", String(port), "--blob-port", String(blobPort)];
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`malachite serve exited ${child.exitCode} before answering`);
      if ((await statusOf(`http://127.0.0.1:${port}/pools?api-version=2024-07-01.20.0`)) === 200) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    child.kill("SIGTERM");
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One bare container life on the node image: create, start, wait for `true` to exit, remove. */
async function bareContainerLifeMs(docker: Dockerode, image: string): Promise<number> {
  const started = performance.now();
  const container = await docker.createContainer({ Image: image, Cmd: ["true"], Labels: { "malachite.bench": "true" } });
  await container.start();
  await container.wait();
  await container.remove({ force: true });
  return performance.now() - started;
}

/** `malachite tutorial --yes` as `npm run demo` runs it (its defaults: `.malachite`, blobs in memory), from a fresh directory. */
async function cliDemoMs(): Promise<number> {
  const work = mkdtempSync(path.join(os.tmpdir(), "malachite-bench-demo-"));
  try {
    return await processWallTimeMs([CLI, "tutorial", "--yes", "--output", path.join(work, "out")], work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const list = (runs: number[]) => `[${runs.map(seconds).join(", ")}]`;

/** Start-up figures, each next to its floor measured in the same run (issue 12, item 3). */
export async function printStartupTimes(write: (text: string) => void, runs = Number(process.env.BENCH_STARTUP_RUNS ?? 5)): Promise<void> {
  const floor = await medianOf(runs, () => processWallTimeMs(["-e", "0"]));
  const help = await medianOf(runs, () => processWallTimeMs([CLI, "--help"]));
  write(`node -e 0 (floor, median of ${runs}): ${seconds(floor.median)}  ${list(floor.runs)}\n`);
  write(`malachite --help: ${seconds(help.median)}  ${list(help.runs)}  (${(help.median / floor.median).toFixed(1)}x the floor; target 2x)\n`);
  const serve = await medianOf(Math.min(runs, 3), serveFirstAnswerMs);
  write(
    `malachite serve, spawn to first answer: ${seconds(serve.median)}  ${list(serve.runs)}  (${(serve.median / floor.median).toFixed(1)}x node -e 0; target 1.5 s)\n`,
  );

  const docker = new Dockerode();
  const image = await ensureNodeImage({ docker, baseImage: process.env.MALACHITE_BASE_IMAGE || undefined });
  await bareContainerLifeMs(docker, image);
  const container = await medianOf(Math.min(runs, 3), () => bareContainerLifeMs(docker, image));
  await cliDemoMs();
  const demo = await medianOf(Math.min(runs, 3), cliDemoMs);
  write(`bare container life (create, start, wait for 'true', remove; floor): ${seconds(container.median)}  ${list(container.runs)}\n`);
  write(
    `demo through the CLI (malachite tutorial --yes, warm image, after one warm-up): ${seconds(demo.median)}  ${list(demo.runs)}  (${(demo.median / container.median).toFixed(1)}x a bare container life; target 2.5 s and 5x)\n`,
  );
}
