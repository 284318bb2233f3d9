import type { BackendKind } from "../backend.js";

/** Settings of the local backend: Docker containers as nodes, Azurite as blob storage. */
export interface LocalBackendConfig {
  /** Where the account lives on the host: node directories (`<dataDir>/nodes/<pool>/<node>`), kept for inspection, and the Batch state (`<dataDir>/state`). */
  dataDir: string;
  /** The base image of the node image; when unset, the first present of node:20-bookworm-slim, malachite-base:bookworm. */
  baseImage?: string;
  /**
   * Keep the Batch state (pools, nodes, jobs, tasks) in memory only. By default it is kept in
   * `<dataDir>/state` and a restart on the same data directory brings every entity back.
   */
  inMemory?: boolean;
  /** Random evictions of Spot/low-priority nodes: expected evictions per Spot node per hour of the backend's clock (0 or unset: none). */
  spotPreemptionRatePerHour?: number;
  /** The seed of those evictions (default 1): the same seed evicts the same nodes at the same times. */
  spotPreemptionSeed?: number;
  azurite: {
    /** Blob port on 127.0.0.1; 0 picks a free one. */
    port: number;
    /** Persist blobs in this directory; in memory when unset (`loadConfig` defaults it to `<dataDir>/blobs` when the data directory is given). */
    location?: string;
  };
}

/**
 * Settings of the Azure backend, named after the variables Azure's own tools read
 * (`AZURE_BATCH_ACCOUNT`, `AZURE_BATCH_ACCESS_KEY`, `AZURE_BATCH_ENDPOINT`,
 * `AZURE_STORAGE_CONNECTION_STRING`, `AZURE_STORAGE_ACCOUNT`, `AZURE_STORAGE_KEY`).
 * Checked by the Azure backend before it creates anything.
 */
export interface AzureBackendConfig {
  batchAccountName?: string;
  batchAccountKey?: string;
  batchEndpoint?: string;
  storageConnectionString?: string;
  storageAccountName?: string;
  storageAccountKey?: string;
  /** The task image in the user's registry, e.g. `myregistry.azurecr.io/malachite-node:1`. */
  taskImage?: string;
  registryServer?: string;
  registryUsername?: string;
  registryPassword?: string;
  /** VM size of the tutorial's pool (default `standard_d2s_v3`). */
  vmSize?: string;
  /** A container-capable VM image, `publisher:offer:sku[:version]`. */
  vmImage?: string;
  nodeAgentSkuId?: string;
}

export interface MalachiteConfig {
  backend: BackendKind;
  local: LocalBackendConfig;
  azure: AzureBackendConfig;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export const SUPPORTED_BACKENDS: readonly BackendKind[] = ["local", "azure"];
