import { randomBytes } from "node:crypto";
import type { Backend, BlobStorage } from "../../core/backend.js";
import type { LocalBackendConfig } from "../../core/config/config.js";
import { createLogger } from "../../core/logger.js";
import { SharedKeyBlobStorage } from "../../storage/shared-key-blob-storage.js";
import { AzuriteProcess } from "./azurite/azurite-process.js";
import { DockerNodeRuntime } from "./docker/docker-node-runtime.js";
import { removeSession, sweepLeftovers } from "./docker/leftover-sweeper.js";
import { ensureNodeImage } from "./docker/node-image.js";
import type { NodeRuntime } from "./docker/node-runtime.js";
import { TaskExecutor } from "./execution/task-executor.js";
import { LocalBatchService } from "./local-batch-service.js";
import { BatchState } from "./state/batch-state.js";
import { BackgroundWork } from "./services/local-context.js";

const log = createLogger("malachite:local");

/** The Batch account name of the local backend, in the style of Azurite's `devstoreaccount1`. */
export const LOCAL_BATCH_ACCOUNT = "devbatchaccount1";

export interface LocalBackendOptions extends LocalBackendConfig {
  /** The URL the account reports (`AZ_BATCH_ACCOUNT_URL`, entity `url`s); set by `malachite serve`. */
  accountUrl?: string;
}

/**
 * Azure Batch on this machine: Docker containers as compute nodes, Azurite as blob storage.
 * `start()` sweeps leftovers of crashed runs, starts Azurite and makes sure the node image
 * exists; `close()` removes every container and stops every process it started.
 */
export class LocalBackend implements Backend {
  readonly kind = "local" as const;
  private closing?: Promise<void>;

  private constructor(
    readonly batch: LocalBatchService,
    readonly storage: BlobStorage,
    readonly azurite: AzuriteProcess,
    private readonly runtime: NodeRuntime,
    readonly sessionId: string,
    /** Where node directories live on the host. */
    readonly dataDir: string,
  ) {}

  static async start(options: LocalBackendOptions): Promise<LocalBackend> {
    const runtime = new DockerNodeRuntime();
    const removed = await sweepLeftovers(runtime);
    if (removed.length > 0) log.info(`removed ${removed.length} container(s) left over by an earlier run`);
    const image = await ensureNodeImage({ baseImage: options.baseImage });
    const azurite = await AzuriteProcess.start({ port: options.azurite.port, dataDir: options.azurite.location });
    try {
      const storage = new SharedKeyBlobStorage({
        accountName: azurite.accountName,
        accountKey: azurite.accountKey,
        blobEndpoint: azurite.blobEndpoint,
      });
      const sessionId = randomBytes(6).toString("hex");
      const state = new BatchState();
      const background = new BackgroundWork();
      const batch = new LocalBatchService({
        state,
        runtime,
        storage,
        background,
        executor: new TaskExecutor(runtime, storage),
        settings: {
          sessionId,
          dataDir: options.dataDir,
          image,
          accountName: LOCAL_BATCH_ACCOUNT,
          accountUrl: options.accountUrl ?? "http://127.0.0.1",
        },
      });
      return new LocalBackend(batch, storage, azurite, runtime, sessionId, options.dataDir);
    } catch (error) {
      await azurite.stop();
      throw error;
    }
  }

  /** Stops every task, removes every node container, stops Azurite. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.batch.shutdown().catch((error) => log.warn(`shutdown failed: ${(error as Error).message}`));
    await removeSession(this.runtime, this.sessionId).catch((error) => log.warn(`sweep failed: ${(error as Error).message}`));
    await this.azurite.stop();
  }
}
