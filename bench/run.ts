import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import Dockerode from "dockerode";
import { LocalBackend } from "../src/backends/local/local-backend.js";
import { DockerNodeRuntime } from "../src/backends/local/docker/docker-node-runtime.js";
import { runTutorial } from "../src/workflow/tutorial-workflow.js";
import { sampleInputs, taskProgramPath } from "../src/workflow/package-paths.js";
import { bareDockerExec } from "./bare-docker-exec.js";
import { printControlPlane } from "./control-plane-report.js";
import { restRoundTrips } from "./rest-round-trip.js";
import { printStartupTimes } from "./startup-times.js";
import { printTaskDispatch } from "./task-dispatch.js";
import { taskProgramVersusPython } from "./task-program-vs-python.js";

const TRIVIAL_TASKS = Number(process.env.BENCH_TASKS ?? 40);
const DEMO_RUNS = Number(process.env.BENCH_DEMO_RUNS ?? 2);
const TASK_PROGRAM_RUNS = Number(process.env.BENCH_TASK_PROGRAM_RUNS ?? 1);
const DISPATCH_COUNTS = (process.env.BENCH_DISPATCH_COUNTS ?? "200,2000").split(",").map(Number);

function startBackend(): Promise<LocalBackend> {
  return LocalBackend.start({
    dataDir: mkdtempSync(path.join(os.tmpdir(), "malachite-bench-")),
    baseImage: process.env.MALACHITE_BASE_IMAGE || undefined,
    azurite: { port: 0 },
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** The demo as `npm run demo` runs it (backend start to close), with the image already built. */
async function demoWallTime(): Promise<number> {
  const started = performance.now();
  const backend = await startBackend();
  try {
    await runTutorial(backend, {
      inputFiles: sampleInputs(),
      taskProgram: taskProgramPath(),
      numWords: 3,
      nodes: 1,
      outputDir: mkdtempSync(path.join(os.tmpdir(), "malachite-bench-out-")),
      cleanup: "yes",
      poolId: "BenchPool",
      jobId: "BenchJob",
      timeoutMs: 10 * 60_000,
      pollMs: 1000,
      write: () => undefined,
      input: new PassThrough(),
    });
  } finally {
    await backend.close();
  }
  return performance.now() - started;
}

/** Per-task cost of N trivial tasks run one at a time on one node, next to N bare docker execs. */
async function perTaskOverhead(): Promise<{ taskMs: number; execMs: number }> {
  const backend = await startBackend();
  try {
    const { batch } = backend;
    await batch.pool.add({ id: "overhead", vmSize: "bench", targetDedicatedNodes: 1, taskSlotsPerNode: 1 });
    while ((await batch.computeNode.list("overhead"))[0]?.state !== "idle") await new Promise((r) => setTimeout(r, 50));
    const [container] = await new DockerNodeRuntime().listManaged({ "malachite.session": backend.sessionId });
    const docker = new Dockerode();
    await bareDockerExec(docker, container?.id as string);
    const execStart = performance.now();
    for (let i = 0; i < TRIVIAL_TASKS; i++) await bareDockerExec(docker, container?.id as string);
    const execMs = (performance.now() - execStart) / TRIVIAL_TASKS;

    await batch.job.add({ id: "overhead", poolInfo: { poolId: "overhead" } });
    const taskStart = performance.now();
    await batch.task.addCollection(
      "overhead",
      Array.from({ length: TRIVIAL_TASKS }, (_, i) => ({ id: `t${i}`, commandLine: "true" })),
    );
    for (;;) {
      const counts = await batch.job.getTaskCounts("overhead");
      if (counts.taskCounts.completed === TRIVIAL_TASKS) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const taskMs = (performance.now() - taskStart) / TRIVIAL_TASKS;
    return { taskMs, execMs };
  } finally {
    await backend.close();
  }
}

async function main(): Promise<void> {
  process.stdout.write(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}\n`);
  // BENCH_ONLY=control-plane: the Docker-free control-plane figures alone.
  if (process.env.BENCH_ONLY === "control-plane") return printControlPlane((line) => process.stdout.write(line));
  // BENCH_ONLY=dispatch: trivial tasks on 2 nodes x 4 slots next to the docker exec floor, alone.
  if (process.env.BENCH_ONLY === "dispatch") return printTaskDispatch((text) => process.stdout.write(text), DISPATCH_COUNTS);
  await demoWallTime();
  const demo: number[] = [];
  for (let i = 0; i < DEMO_RUNS; i++) demo.push(await demoWallTime());
  process.stdout.write(
    `demo wall time, warm image (median of ${DEMO_RUNS}, after one warm-up): ${(median(demo) / 1000).toFixed(2)} s  [${demo.map((ms) => (ms / 1000).toFixed(2)).join(", ")}]\n`,
  );
  await printStartupTimes((text) => process.stdout.write(text));
  const { taskMs, execMs } = await perTaskOverhead();
  process.stdout.write(`trivial task, end to end (${TRIVIAL_TASKS} tasks, one slot): ${taskMs.toFixed(1)} ms per task\n`);
  process.stdout.write(`bare docker exec of 'true' (same node, same run):   ${execMs.toFixed(1)} ms per exec\n`);
  // Tasks run through the node's resident agent, not docker exec: a task may cost less than the floor.
  process.stdout.write(`a trivial task against a bare exec: ${(taskMs / execMs).toFixed(2)}x (${(taskMs - execMs).toFixed(1)} ms)\n`);
  await printTaskDispatch((text) => process.stdout.write(text), DISPATCH_COUNTS);
  const rest = await restRoundTrips();
  process.stdout.write(
    `REST round trip via @azure/batch against malachite serve: pool.get ${rest.getPoolMs.toFixed(2)} ms, task.list of 100 tasks ${rest.listTasksMs.toFixed(2)} ms (medians)\n`,
  );
  await printControlPlane((line) => process.stdout.write(line));
  for (const text of await taskProgramVersusPython(taskProgramPath(), TASK_PROGRAM_RUNS)) process.stdout.write(`${text}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
