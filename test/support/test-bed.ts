/**
 * A LocalBackend without Docker: a fake node runtime, a fake clock, a temporary data directory
 * and a blob service that is either a stub (nothing listens) or Azurite as a child process.
 * Optionally the REST API served in-process on an ephemeral port, with an official SDK client.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BatchServiceClient } from "@azure/batch";
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME, AzuriteProcess } from "../../src/backends/local/azurite/azurite-process.js";
import { LocalBackend, type BlobService, type LocalBackendOptions } from "../../src/backends/local/local-backend.js";
import type { LocalBatchService } from "../../src/backends/local/local-batch-service.js";
import type { CloudJob, CloudPool, CloudTask, ComputeNode, JobAddParameter, JobState, PoolAddParameter, TaskState } from "../../src/core/models/index.js";
import { BatchServer } from "../../src/server/batch-server.js";
import { DEV_BATCH_ACCOUNT_KEY, DEV_BATCH_ACCOUNT_NAME } from "../../src/server/dev-account.js";
import { FakeClock } from "./fake-clock.js";
import { FakeNodeRuntime } from "./fake-node-runtime.js";
import { waitFor, type Truthy, type WaitForOptions } from "./settle.js";

export const FAKE_NODE_IMAGE = "malachite-node:fake";

export interface TestBedOptions {
  /** Serve the REST API in-process, with an SDK client; `{ authentication: false }` serves it unsigned. */
  server?: boolean | { authentication: boolean };
  /** Real blobs from Azurite (a Node child process, no Docker); by default a stub nothing listens on. */
  azurite?: boolean;
  /** Settings of the local backend beyond the test bed's own (e.g. `spotPreemptionRatePerHour`). */
  local?: Partial<Omit<LocalBackendOptions, "dataDir" | "azurite" | "accountUrl">>;
}

/** A blob service for tests that need none: its endpoint refuses connections. */
function unreachableBlobService(): BlobService {
  const blobEndpoint = `http://127.0.0.1:9/${AZURITE_ACCOUNT_NAME}`;
  return {
    accountName: AZURITE_ACCOUNT_NAME,
    accountKey: AZURITE_ACCOUNT_KEY,
    blobEndpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT_NAME};AccountKey=${AZURITE_ACCOUNT_KEY};BlobEndpoint=${blobEndpoint};`,
    stop: () => Promise.resolve(),
  };
}

export class TestBed {
  private constructor(
    readonly backend: LocalBackend,
    readonly runtime: FakeNodeRuntime,
    readonly clock: FakeClock,
    readonly dataDir: string,
    private readonly server: BatchServer | undefined,
  ) {}

  static async start(options: TestBedOptions = {}): Promise<TestBed> {
    const clock = new FakeClock();
    const runtime = new FakeNodeRuntime(clock);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-unit-"));
    const serving = options.server ?? false;
    const authentication = typeof serving === "object" ? serving.authentication : true;
    const server = serving
      ? await BatchServer.listen({ host: "127.0.0.1", port: 0, account: authentication ? { name: DEV_BATCH_ACCOUNT_NAME, key: DEV_BATCH_ACCOUNT_KEY } : false })
      : undefined;
    try {
      const backend = await LocalBackend.start(
        { ...options.local, dataDir, azurite: { port: 0 }, ...(server ? { accountUrl: server.url } : {}) },
        {
          runtime,
          clock,
          nodeImage: () => Promise.resolve(FAKE_NODE_IMAGE),
          startBlobService: () => (options.azurite ? AzuriteProcess.start({ port: 0 }) : Promise.resolve(unreachableBlobService())),
        },
      );
      server?.serve(backend.batch, { faults: backend.batch.faults });
      return new TestBed(backend, runtime, clock, dataDir, server);
    } catch (error) {
      await server?.close();
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  get batch(): LocalBatchService {
    return this.backend.batch;
  }

  /** The in-process REST endpoint's account, for signed requests (signed-fetch.ts). */
  get account(): { batchUrl: string; batchAccountName: string; batchAccountKey: string } {
    if (!this.server) throw new Error("this test bed was started without a server");
    return { batchUrl: this.server.url, batchAccountName: DEV_BATCH_ACCOUNT_NAME, batchAccountKey: DEV_BATCH_ACCOUNT_KEY };
  }

  /** `@azure/batch`'s BatchServiceClient against the in-process endpoint (the SDK is loaded only by tests that use it). */
  async client(): Promise<BatchServiceClient> {
    const { BatchServiceClient, BatchSharedKeyCredentials } = await import("@azure/batch");
    const { batchUrl, batchAccountName, batchAccountKey } = this.account;
    return new BatchServiceClient(new BatchSharedKeyCredentials(batchAccountName, batchAccountKey), batchUrl);
  }

  /** Resolves once `condition` holds; see settle.ts. */
  waitFor<T>(condition: () => T | Promise<T>, what?: string, options: Omit<WaitForOptions, "what"> = {}): Promise<Truthy<T>> {
    return waitFor(condition, { ...options, what });
  }

  /** Adds a pool (one dedicated node unless told otherwise) and waits until all its nodes are idle. */
  async addPool(id: string, extra: Partial<PoolAddParameter> = {}): Promise<{ pool: CloudPool; nodes: ComputeNode[] }> {
    await this.batch.pool.add({ id, vmSize: "standard_d2s_v3", targetDedicatedNodes: 1, ...extra });
    const target = (extra.targetDedicatedNodes ?? 1) + (extra.targetLowPriorityNodes ?? 0);
    const nodes = await this.waitFor(async () => {
      const list = await this.batch.computeNode.list(id);
      return list.length === target && list.every((node) => node.state === "idle") && list;
    }, `${target} idle node(s) in pool ${id}`);
    return { pool: await this.batch.pool.get(id), nodes };
  }

  async addJob(id: string, poolId: string, extra: Partial<JobAddParameter> = {}): Promise<CloudJob> {
    return this.batch.job.add({ id, poolInfo: { poolId }, ...extra });
  }

  /** Waits until the task is in `state` and returns it. */
  taskIn(jobId: string, taskId: string, state: TaskState): Promise<CloudTask> {
    return this.waitFor(async () => {
      const task = await this.batch.task.get(jobId, taskId);
      return task.state === state && task;
    }, `task ${taskId} to be ${state}`);
  }

  /** Waits until the job is in `state` and returns it. */
  jobIn(jobId: string, state: JobState): Promise<CloudJob> {
    return this.waitFor(async () => {
      const job = await this.batch.job.get(jobId);
      return job.state === state && job;
    }, `job ${jobId} to be ${state}`);
  }

  /** Stops the server and the backend (whatever the test left held) and removes the data directory. */
  async close(): Promise<void> {
    this.runtime.releaseAll();
    await this.server?.close();
    await this.backend.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
