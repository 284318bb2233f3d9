import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { BatchServiceClient, BatchSharedKeyCredentials, type BatchServiceModels } from "@azure/batch";
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from "../src/backends/local/azurite/azurite-process.js";
import { LocalBackend } from "../src/backends/local/local-backend.js";
import { BatchServer } from "../src/server/batch-server.js";
import { DEV_BATCH_ACCOUNT_KEY, DEV_BATCH_ACCOUNT_NAME } from "../src/server/dev-account.js";
import { ParkedNodeRuntime } from "./parked-node-runtime.js";

/** What one job size measured, through the official JS SDK against the in-process server. */
export interface JobSizeFigures {
  tasks: number;
  addMs: number;
  listMs: number;
  countsMs: number;
  runningPageMs: number;
  activePageMs: number;
}

export interface ControlPlaneFigures {
  /** The floor: one `pool.get` round trip through the same SDK and server. */
  roundTripMs: number;
  sizes: JobSizeFigures[];
  /** A job (of 10,000 tasks when that size is measured) read in pages of 100. */
  pagesOf100: { tasks: number; ms: number };
  /** The process's resident memory (server and emulator; the client too) with every job's tasks in it. */
  rssMb: number;
}

const ADD_CONCURRENCY = 4;
const COLLECTION_SIZE = 100;

async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** Adds `count` trivial tasks in collections of 100 (the service's limit), a few requests in flight, as the SDKs' bulk helpers do. */
async function addTasks(client: BatchServiceClient, jobId: string, count: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const start = next;
      next = Math.min(count, next + COLLECTION_SIZE);
      const value = Array.from({ length: next - start }, (_, i) => ({ id: `task-${start + i}`, commandLine: "/bin/true" }));
      const result = await client.task.addCollection(jobId, value);
      if (result.value?.some((entry) => entry.status !== "success")) throw new Error(`adding tasks to ${jobId} failed`);
    }
  };
  await Promise.all(Array.from({ length: ADD_CONCURRENCY }, worker));
}

/** Reads every page of the list; returns how many tasks it read. */
async function listAll(client: BatchServiceClient, jobId: string, options: BatchServiceModels.TaskListOptions): Promise<number> {
  let page = await client.task.list(jobId, { taskListOptions: options });
  let read = page.length;
  while (page.odatanextLink) {
    page = await client.task.listNext(page.odatanextLink);
    read += page.length;
  }
  return read;
}

async function measureSize(client: BatchServiceClient, tasks: number): Promise<JobSizeFigures> {
  const jobId = `scale-${tasks}`;
  await client.job.add({ id: jobId, poolInfo: { poolId: "scale" } });
  const addMs = await timed(() => addTasks(client, jobId, tasks));
  let listed = 0;
  const listMs = await timed(async () => (listed = await listAll(client, jobId, { maxResults: 1000 })));
  if (listed !== tasks) throw new Error(`listed ${listed} of ${tasks} tasks`);
  const countsMs = await medianMs(20, () => client.job.getTaskCounts(jobId));
  const runningPageMs = await medianMs(20, () => client.task.list(jobId, { taskListOptions: { filter: "state eq 'running'", maxResults: 100 } }));
  const activePageMs = await medianMs(20, () => client.task.list(jobId, { taskListOptions: { filter: "state eq 'active'", maxResults: 100 } }));
  return { tasks, addMs, listMs, countsMs, runningPageMs, activePageMs };
}

/**
 * The control plane at scale: jobs of each size on a pool of 2 nodes with 4 slots each whose
 * tasks never end (ParkedNodeRuntime), so each job has 8 running tasks while it is the newest
 * and the rest active. In-memory state, as `malachite serve` keeps it without a data directory.
 */
export async function controlPlane(sizes: readonly number[]): Promise<ControlPlaneFigures> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-bench-scale-"));
  const server = await BatchServer.listen({ host: "127.0.0.1", port: 0, account: { name: DEV_BATCH_ACCOUNT_NAME, key: DEV_BATCH_ACCOUNT_KEY } });
  const blobEndpoint = `http://127.0.0.1:9/${AZURITE_ACCOUNT_NAME}`;
  const backend = await LocalBackend.start(
    { dataDir, inMemory: true, azurite: { port: 0 }, accountUrl: server.url },
    {
      runtime: new ParkedNodeRuntime(),
      nodeImage: () => Promise.resolve("malachite-node:bench"),
      startBlobService: () =>
        Promise.resolve({
          accountName: AZURITE_ACCOUNT_NAME,
          accountKey: AZURITE_ACCOUNT_KEY,
          blobEndpoint,
          connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT_NAME};AccountKey=${AZURITE_ACCOUNT_KEY};BlobEndpoint=${blobEndpoint};`,
          stop: () => Promise.resolve(),
        }),
    },
  );
  server.serve(backend.batch, { faults: backend.batch.faults });
  try {
    const client = new BatchServiceClient(new BatchSharedKeyCredentials(DEV_BATCH_ACCOUNT_NAME, DEV_BATCH_ACCOUNT_KEY), server.url);
    await client.pool.add({ id: "scale", vmSize: "standard_d2s_v3", targetDedicatedNodes: 2, taskSlotsPerNode: 4 });
    while ((await client.computeNode.list("scale")).filter((node) => node.state === "idle").length < 2) await new Promise((r) => setImmediate(r));
    const roundTripMs = await medianMs(50, () => client.pool.get("scale"));
    const figures: JobSizeFigures[] = [];
    for (const tasks of sizes) {
      // Frees the nodes for the new job's tasks: the earlier job's tasks stay, active or completed.
      for (const earlier of figures) await client.job.terminate(`scale-${earlier.tasks}`).catch(() => undefined);
      figures.push(await measureSize(client, tasks));
    }
    const paged = sizes.includes(10_000) ? 10_000 : (sizes[0] as number);
    const pagesOf100 = { tasks: paged, ms: await timed(() => listAll(client, `scale-${paged}`, { maxResults: 100 })) };
    const rssMb = process.memoryUsage().rss / 2 ** 20;
    return { roundTripMs, sizes: figures, pagesOf100, rssMb };
  } finally {
    await server.close();
    await backend.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
