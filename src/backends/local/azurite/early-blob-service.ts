import type { LocalBackendConfig } from "../../../core/config/config.js";
import type { BlobService } from "../local-backend.js";
import { AzuriteProcess } from "./azurite-process.js";

/** Azurite as the local backend's blob service: on the configured port, keeping blobs where configured (else in memory). */
export function startAzuriteFor(config: Pick<LocalBackendConfig, "azurite">): Promise<BlobService> {
  return AzuriteProcess.start({ port: config.azurite.port, dataDir: config.azurite.location });
}

/**
 * The local backend's blob service started ahead of the backend: Azurite's own start (about a
 * second, in a process of its own) then overlaps the loading of the backend's code (Docker's
 * client, the blob SDK) instead of following it. The backend takes it over through
 * `startBlobService: early.claim` and stops it from then on; `release()` stops it if the backend
 * never took it (a start that failed before).
 *
 * Only for blobs kept in memory: on-disk blobs wait for the backend, whose state lock first
 * refuses a data directory in use by another Malachite.
 */
export class EarlyBlobService {
  #claimed = false;

  constructor(private readonly starting: Promise<BlobService>) {
    // Its failure is reported to whoever claims it; unclaimed, `release()` has nothing to stop.
    starting.catch(() => undefined);
  }

  /** Starts Azurite now when the configuration keeps blobs in memory; otherwise undefined (the backend starts it). */
  static startFor(config: LocalBackendConfig): EarlyBlobService | undefined {
    return config.azurite.location === undefined ? new EarlyBlobService(startAzuriteFor(config)) : undefined;
  }

  /** For `LocalBackendDependencies.startBlobService`: the backend owns the service from here on. */
  readonly claim = (): Promise<BlobService> => {
    this.#claimed = true;
    return this.starting;
  };

  /** Stops the service unless the backend took it over. */
  async release(): Promise<void> {
    if (this.#claimed) return;
    this.#claimed = true;
    const blob = await this.starting.catch(() => undefined);
    await blob?.stop();
  }
}
