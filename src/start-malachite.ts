import { LIBRARY_DEFAULTS, loadConfig, type MalachiteConfig } from "./core/config/index.js";
import { serveEmulator, type BatchEndpointOptions, type RunningMalachite } from "./serve-emulator.js";

export type { RunningMalachite } from "./serve-emulator.js";

/**
 * Options of `startMalachite()`. The settings of the configuration act as command-line flags: each
 * wins over its environment variable and the config file (see the README's Configuration).
 */
export interface MalachiteOptions {
  /** Address the Batch endpoint listens on (default 127.0.0.1). */
  host?: string;
  /** Batch endpoint port; 0 (the default) picks a free one. */
  batchPort?: number;
  /** Check SharedKey signatures (default true). */
  authentication?: boolean;
  /** The config file to read instead of `MALACHITE_CONFIG` or `./malachite.config.json`. */
  config?: string;
  /** Azurite blob port (else `MALACHITE_AZURITE_PORT`, `local.azurite.port`; default 0, a free one). */
  blobPort?: number;
  /** Host directory for node directories and the Batch state (else `MALACHITE_DATA_DIR`, `local.dataDir`; default: a fresh temporary directory). */
  dataDir?: string;
  /** Base image of the node image (else `MALACHITE_BASE_IMAGE`, `local.baseImage`; default: node:20-bookworm-slim or the offline malachite-base:bookworm). */
  baseImage?: string;
  /**
   * Keep blobs on disk here (else `MALACHITE_AZURITE_LOCATION`, `local.azurite.location`; default:
   * `<dataDir>/blobs` when `dataDir` is given by option, environment or config file, else in memory).
   */
  blobLocation?: string;
  /**
   * Keep the Batch state (and blobs, unless `blobLocation` is set) in memory only (else
   * `MALACHITE_IN_MEMORY`, `local.inMemory`; default: false when a data directory is given by
   * option, environment or config file — the state is then kept in `<dataDir>/state`, and a start
   * on a data directory used before brings its pools, jobs and tasks back — and true otherwise).
   */
  inMemory?: boolean;
}

/** The configuration `startMalachite(options)` runs with: always the local backend, the emulator. */
export function startMalachiteConfig(options: MalachiteOptions = {}, env = process.env, cwd = process.cwd()): MalachiteConfig {
  const flags = {
    backend: "local",
    config: options.config,
    dataDir: options.dataDir,
    baseImage: options.baseImage,
    blobPort: options.blobPort,
    blobLocation: options.blobLocation,
    inMemory: options.inMemory,
  };
  return loadConfig(flags, env, cwd, LIBRARY_DEFAULTS);
}

/** The Batch endpoint `startMalachite(options)` listens on. */
export function startMalachiteEndpoint(options: MalachiteOptions = {}): BatchEndpointOptions {
  return { host: options.host ?? "127.0.0.1", port: options.batchPort ?? 0, authentication: options.authentication ?? true };
}

/**
 * Starts Azurite and a Batch endpoint on this machine, for a test suite:
 *
 *     const batch = await startMalachite();
 *     const client = new BatchServiceClient(new BatchSharedKeyCredentials(batch.batchAccountName, batch.batchAccountKey), batch.batchUrl);
 *     ...
 *     await batch.close();
 */
export async function startMalachite(options: MalachiteOptions = {}): Promise<RunningMalachite> {
  return serveEmulator(startMalachiteConfig(options), startMalachiteEndpoint(options));
}
