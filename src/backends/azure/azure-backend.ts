import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import type { Backend, BlobStorage, PoolPlacement, TaskContainerImage } from "../../core/backend.js";
import { BatchError } from "../../core/batch-error.js";
import { ConfigError, type AzureBackendConfig } from "../../core/config/config.js";
import { SharedKeyBlobStorage } from "../../storage/shared-key-blob-storage.js";
import { checkAzureConfig, type ResolvedStorage } from "./azure-config-check.js";
import { variableName } from "./azure-settings.js";
import { AzureBatchService } from "./azure-batch-service.js";

/** The options of `@azure/batch`'s client (retry policy, HTTP client, ...), for tests and tuning. */
export type BatchClientOptions = NonNullable<ConstructorParameters<typeof BatchServiceClient>[2]>;

export interface AzureBackendOptions {
  clientOptions?: BatchClientOptions;
}

function createStorage(storage: ResolvedStorage): BlobStorage {
  try {
    return "connectionString" in storage ? SharedKeyBlobStorage.fromConnectionString(storage.connectionString) : new SharedKeyBlobStorage(storage);
  } catch (error) {
    // The storage client's own checks; its messages name what is wrong, never the key.
    if (error instanceof BatchError) {
      const setting =
        "connectionString" in storage ? variableName("storageConnectionString") : `${variableName("storageAccountName")}/${variableName("storageAccountKey")}`;
      throw new ConfigError(`the Azure backend is not configured:\n  - ${setting}: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Azure Batch itself: `@azure/batch` 10.2.0 with SharedKey credentials for the Batch account and
 * blob storage with the account key. It starts nothing, so `close()` has nothing to release.
 */
export class AzureBackend implements Backend {
  readonly kind = "azure" as const;
  private closing?: Promise<void>;

  private constructor(
    readonly batch: AzureBatchService,
    readonly storage: BlobStorage,
    readonly taskContainer: TaskContainerImage,
    readonly poolPlacement: PoolPlacement,
    /** The Batch account URL requests go to. */
    readonly batchUrl: string,
  ) {}

  /** Checks the settings (a {@link ConfigError} naming what to set) and creates the clients. Contacts nothing. */
  static async create(config: AzureBackendConfig, options: AzureBackendOptions = {}): Promise<AzureBackend> {
    const resolved = checkAzureConfig(config);
    const storage = createStorage(resolved.storage);
    const credentials = new BatchSharedKeyCredentials(resolved.batch.accountName, resolved.batch.accountKey);
    const client = new BatchServiceClient(credentials, resolved.batch.endpoint, options.clientOptions);
    const batch = new AzureBatchService(client, resolved.poolPlacement);
    return new AzureBackend(batch, storage, resolved.taskContainer, resolved.poolPlacement, resolved.batch.endpoint);
  }

  /** Nothing to release: the backend started nothing. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= Promise.resolve();
    return this.closing;
  }
}
