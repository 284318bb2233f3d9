import type { BackendKind } from "../backend.js";

/** Settings of the local backend: Docker containers as nodes, Azurite as blob storage. */
export interface LocalBackendConfig {
  /** Where node directories live on the host (`<dataDir>/nodes/<pool>/<node>`), kept for inspection. */
  dataDir: string;
  /** The base image of the node image; when unset, the first present of node:20-bookworm-slim, malachite-base:bookworm. */
  baseImage?: string;
  azurite: {
    /** Blob port on 127.0.0.1; 0 picks a free one. */
    port: number;
    /** Persist blobs in this directory; in memory when unset. */
    location?: string;
  };
}

export interface MalachiteConfig {
  backend: BackendKind;
  local: LocalBackendConfig;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export const SUPPORTED_BACKENDS: readonly BackendKind[] = ["local"];
