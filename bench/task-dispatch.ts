/**
 * Task dispatch throughput: N trivial tasks (`/bin/true`) on a pool of 2 nodes with 4 slots each,
 * from the first add to the last completion, next to the floor of the same work done with bare
 * `docker exec`s on the same nodes in the same run (one at a time, and 8 at a time).
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Dockerode from "dockerode";
import type { TaskAddParameter } from "../src/core/models/index.js";
import { LocalBackend } from "../src/backends/local/local-backend.js";
import { DockerNodeRuntime } from "../src/backends/local/docker/docker-node-runtime.js";
import { bareDockerExec } from "./bare-docker-exec.js";

const NODES = 2;
const SLOTS = 4;
const POOL = "dispatch";
/** The Batch limit of one addtaskcollection call. */
const COLLECTION = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Execs per second of `true` over the containers, `parallel` at a time, `count` in all. */
async function execFloor(docker: Dockerode, containers: string[], count: number, parallel: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async (_, worker) => {
      while (next < count) {
        next++;
        await bareDockerExec(docker, containers[worker % containers.length] as string);
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/**
 * Tasks per second for `count` trivial tasks in a new job, first add to last completion, and the
 * CPU this process (the emulator, in process) spent per task meanwhile.
 */
async function dispatch(backend: LocalBackend, jobId: string, count: number): Promise<{ rate: number; cpuMsPerTask: number }> {
  const { batch } = backend;
  await batch.job.add({ id: jobId, poolInfo: { poolId: POOL } });
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let first = 0; first < count; first += COLLECTION) {
    const tasks: TaskAddParameter[] = [];
    for (let i = first; i < Math.min(count, first + COLLECTION); i++) tasks.push({ id: `t${i}`, commandLine: "/bin/true" });
    await batch.task.addCollection(jobId, tasks);
  }
  for (;;) {
    const { taskCounts } = await batch.job.getTaskCounts(jobId);
    if (taskCounts.completed === count) {
      if (taskCounts.failed > 0) throw new Error(`${taskCounts.failed} of the trivial tasks failed`);
      break;
    }
    await sleep(10);
  }
  const { user, system } = process.cpuUsage(cpu);
  return { rate: count / ((performance.now() - started) / 1000), cpuMsPerTask: (user + system) / 1000 / count };
}

/** Prints the dispatch figures for each task count, each next to the bare-exec floors. */
export async function printTaskDispatch(write: (text: string) => void, counts: number[]): Promise<void> {
  const backend = await LocalBackend.start({
    dataDir: mkdtempSync(path.join(os.tmpdir(), "malachite-bench-dispatch-")),
    baseImage: process.env.MALACHITE_BASE_IMAGE || undefined,
    azurite: { port: 0 },
  });
  try {
    const { batch } = backend;
    await batch.pool.add({ id: POOL, vmSize: "bench", targetDedicatedNodes: NODES, taskSlotsPerNode: SLOTS });
    while ((await batch.computeNode.list(POOL)).filter((node) => node.state === "idle").length < NODES) await sleep(50);
    const containers = (await new DockerNodeRuntime().listManaged({ "malachite.session": backend.sessionId })).map((c) => c.id);
    const docker = new Dockerode();
    await execFloor(docker, containers, 4, 1); // warm-up
    const serial = await execFloor(docker, containers, 50, 1);
    const parallel = await execFloor(docker, containers, 200, NODES * SLOTS);
    write(`bare docker exec of 'true' on the same ${NODES} nodes: ${serial.toFixed(1)}/s one at a time, ${parallel.toFixed(1)}/s ${NODES * SLOTS} at a time\n`);
    await dispatch(backend, "warm-up", 20);
    for (const count of counts) {
      const { rate, cpuMsPerTask } = await dispatch(backend, `trivial-${count}`, count);
      write(
        `trivial tasks (/bin/true), ${count} on ${NODES} nodes x ${SLOTS} slots: ${rate.toFixed(1)} tasks/s ` +
          `(${(rate / serial).toFixed(1)}x serial exec, ${(rate / parallel).toFixed(1)}x parallel exec); ` +
          `emulator CPU ${cpuMsPerTask.toFixed(2)} ms per task\n`,
      );
    }
  } finally {
    await backend.close();
  }
}
