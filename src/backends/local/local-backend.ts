import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Backend, BlobStorage } from "../../core/backend.js";
import type { LocalBackendConfig } from "../../core/config/config.js";
import { createLogger } from "../../core/logger.js";
import { SharedKeyBlobStorage } from "../../storage/shared-key-blob-storage.js";
import { startAzuriteFor } from "./azurite/early-blob-service.js";
import { DockerNodeRuntime } from "./docker/docker-node-runtime.js";
import { removeSession, sweepLeftovers } from "./docker/leftover-sweeper.js";
import { ensureNodeImage } from "./docker/node-image.js";
import type { NodeRuntime } from "./docker/node-runtime.js";
import { TaskExecutor } from "./execution/task-executor.js";
import { LocalBatchService } from "./local-batch-service.js";
import { ApplicationStore } from "./applications/application-store.js";
import { PackageInstaller } from "./applications/package-installer.js";
import { BatchState } from "./state/batch-state.js";
import { NodeLifetimes } from "./state/node-lifetimes.js";
import { RetiredUsage } from "./state/retired-usage.js";
import { JournalStore } from "./state/journal-store.js";
import { systemClock, type Clock } from "./state/clock.js";
import { BackgroundWork } from "./services/background-work.js";

const log = createLogger("malachite:local");

/** The Batch account name of the local backend, in the style of Azurite's `devstoreaccount1`. */
export const LOCAL_BATCH_ACCOUNT = "devbatchaccount1";

export interface LocalBackendOptions extends LocalBackendConfig {
  /** The URL the account reports (`AZ_BATCH_ACCOUNT_URL`, entity `url`s); set by `malachite serve`. */
  accountUrl?: string;
  /** Keep Batch state in memory only; by default it is kept in `<dataDir>/state` and survives a restart. */
  inMemory?: boolean;
}

/** A running blob service the backend's tasks and clients use: its account, and how to stop it. */
export interface BlobService {
  readonly accountName: string;
  readonly accountKey: string;
  /** e.g. `http://127.0.0.1:10000/devstoreaccount1` */
  readonly blobEndpoint: string;
  readonly connectionString: string;
  stop(): Promise<void>;
}

/**
 * What the local backend runs on, injected so that everything above the engine can be tested
 * without Docker: the node runtime (Docker, or a fake with scripted processes), the blob service
 * (Azurite as a child process, or any other) and the clock.
 */
export interface LocalBackendDependencies {
  runtime: NodeRuntime;
  clock: Clock;
  /** Makes sure the node image exists and names it. */
  nodeImage: (options: LocalBackendOptions) => Promise<string>;
  startBlobService: (options: LocalBackendOptions) => Promise<BlobService>;
}

/** Docker nodes, Azurite as a child process, real time: each default made only when not overridden. */
function withDefaults(overrides: Partial<LocalBackendDependencies>): LocalBackendDependencies {
  return {
    runtime: overrides.runtime ?? new DockerNodeRuntime(),
    clock: overrides.clock ?? systemClock,
    nodeImage: overrides.nodeImage ?? ((options) => ensureNodeImage({ baseImage: options.baseImage })),
    startBlobService: overrides.startBlobService ?? startAzuriteFor,
  };
}

/**
 * The steps of a start that depend on nothing but the configuration, run at once, as each waits
 * on another process: the sweep of leftovers and the node image on the Docker engine, the blob
 * service on Azurite's own start (the longest, about a second). When one fails, a blob service
 * that did start is stopped again.
 */
async function prepare(
  runtime: NodeRuntime,
  options: LocalBackendOptions,
  { nodeImage, startBlobService }: Pick<LocalBackendDependencies, "nodeImage" | "startBlobService">,
): Promise<{ image: string; blob: BlobService }> {
  const sweep = sweepLeftovers(runtime).then((removed) => {
    if (removed.length > 0) log.info(`removed ${removed.length} container(s) left over by an earlier run`);
  });
  const [swept, image, blob] = await Promise.allSettled([sweep, nodeImage(options), startBlobService(options)]);
  if (swept.status === "fulfilled" && image.status === "fulfilled" && blob.status === "fulfilled") return { image: image.value, blob: blob.value };
  if (blob.status === "fulfilled") await blob.value.stop();
  throw [swept, image, blob].find((result): result is PromiseRejectedResult => result.status === "rejected")?.reason;
}

/**
 * Azure Batch on this machine: Docker containers as compute nodes, Azurite as blob storage.
 * `start()` sweeps leftovers of crashed runs, starts the blob service and makes sure the node
 * image exists, all three at once; `close()` removes every container and stops every process it started.
 */
export class LocalBackend implements Backend {
  readonly kind = "local" as const;
  private closing?: Promise<void>;

  private constructor(
    readonly batch: LocalBatchService,
    readonly storage: BlobStorage,
    /** The blob service behind `storage`, with the credentials a client needs. */
    readonly blob: BlobService,
    private readonly runtime: NodeRuntime,
    readonly sessionId: string,
    /** Where node directories live on the host. */
    readonly dataDir: string,
    private readonly state: BatchState,
  ) {}

  static async start(options: LocalBackendOptions, overrides: Partial<LocalBackendDependencies> = {}): Promise<LocalBackend> {
    const dependencies = withDefaults(overrides);
    const { runtime, clock } = dependencies;
    // The state first: its lock refuses a data directory in use before anything starts on it.
    const state = options.inMemory ? new BatchState() : JournalStore.open(path.join(options.dataDir, "state"));
    const { image, blob } = await prepare(runtime, options, dependencies).catch((error: unknown) => {
      if (state instanceof JournalStore) state.close();
      throw error;
    });
    try {
      const storage = new SharedKeyBlobStorage({ accountName: blob.accountName, accountKey: blob.accountKey, blobEndpoint: blob.blobEndpoint });
      const sessionId = randomBytes(6).toString("hex");
      const applications = ApplicationStore.forDataDir(options.dataDir);
      const batch = new LocalBatchService({
        state,
        runtime,
        storage,
        clock,
        background: new BackgroundWork(),
        executor: new TaskExecutor(runtime, storage, clock),
        applications,
        packages: new PackageInstaller(applications),
        usage: options.inMemory ? NodeLifetimes.inMemory() : NodeLifetimes.onDisk(options.dataDir),
        retired: options.inMemory ? RetiredUsage.inMemory() : RetiredUsage.onDisk(options.dataDir),
        settings: {
          sessionId,
          dataDir: options.dataDir,
          durable: !options.inMemory,
          image,
          accountName: LOCAL_BATCH_ACCOUNT,
          accountUrl: options.accountUrl ?? "http://127.0.0.1",
          ...(options.spotPreemptionRatePerHour
            ? { spotPreemption: { ratePerHour: options.spotPreemptionRatePerHour, seed: options.spotPreemptionSeed ?? 1 } }
            : {}),
        },
      });
      const backend = new LocalBackend(batch, storage, blob, runtime, sessionId, options.dataDir, state);
      if (state instanceof JournalStore) {
        // Even with nothing to restore, node directories left by earlier runs are cleaned up.
        if (state.restored) log.info(`restoring ${state.pools.size} pool(s) and ${state.jobs.size} job(s) from ${options.dataDir}`);
        await batch.recover();
      }
      return backend;
    } catch (error) {
      if (state instanceof JournalStore) state.close();
      await blob.stop();
      throw error;
    }
  }

  /** Stops every task, removes every node container, stops the blob service. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.batch.shutdown().catch((error: unknown) => log.warn(`shutdown failed: ${(error as Error).message}`));
    await removeSession(this.runtime, this.sessionId).catch((error: unknown) => log.warn(`sweep failed: ${(error as Error).message}`));
    if (this.state instanceof JournalStore) this.state.close();
    await this.blob.stop();
  }
}
