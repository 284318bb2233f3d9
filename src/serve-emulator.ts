import type { Composition, CompositionOptions } from "./composition-root.js";
import { EarlyBlobService } from "./backends/local/azurite/early-blob-service.js";
import type { LocalBackend } from "./backends/local/local-backend.js";
import type { MalachiteConfig } from "./core/config/config.js";
import type { FaultRequest } from "./core/faults.js";
import type { BatchServer } from "./server/batch-server.js";
import { DEV_BATCH_ACCOUNT_KEY, DEV_BATCH_ACCOUNT_NAME } from "./server/dev-account.js";

/** The Batch endpoint's own settings: `malachite serve` flags and `startMalachite()` options, outside the configuration. */
export interface BatchEndpointOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Check SharedKey signatures. */
  authentication: boolean;
  /** Let the dashboard terminate tasks and jobs and resize pools (default: read-only). */
  dashboardActions?: boolean;
}

/** A running Malachite: the endpoints and credentials a client needs, and `close()`. */
export interface RunningMalachite {
  batchUrl: string;
  batchAccountName: string;
  batchAccountKey: string;
  blobEndpoint: string;
  storageAccountName: string;
  storageAccountKey: string;
  storageConnectionString: string;
  /** Where the account lives on the host: node directories and, unless in memory, the Batch state (`<dataDir>/state`). */
  dataDir: string;
  /** The live dashboard's address (the server's root), with its sign-in token when it listens beyond loopback. */
  dashboardUrl: string;
  /**
   * Injects a fault, reported on the entities as the service reports the real event: a node
   * killed or preempted, failing start tasks or downloads, a slow node agent (see `FaultRequest`).
   * The same as `POST /malachite/faults`.
   */
  injectFault(fault: FaultRequest): Promise<void>;
  /**
   * Adds a version of an application from a zip file to the account's packages (what
   * `malachite app add` does): `GET /applications` lists it, pools and tasks may reference it.
   * `makeDefault` makes it what a reference without a version installs.
   */
  addApplicationPackage(applicationId: string, version: string, zipFile: string, options?: { makeDefault?: boolean; displayName?: string }): Promise<void>;
  /** Stops the endpoint, removes every node container and stops Azurite. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * The emulator behind `malachite serve` and `startMalachite()`: the Batch endpoint listens
 * first, so its URL is known; then the local backend is composed to report that URL; then
 * the endpoint serves it. `options.local` replaces the backend's dependencies (tests).
 * Azurite starts first of all (see `EarlyBlobService`), and its start overlaps the loading of
 * the server's and the backend's code, imported here only when needed.
 */
export async function serveEmulator(
  config: MalachiteConfig,
  endpoint: BatchEndpointOptions,
  options: Pick<CompositionOptions, "local"> = {},
): Promise<RunningMalachite> {
  const early = options.local?.startBlobService || config.backend !== "local" ? undefined : EarlyBlobService.startFor(config.local);
  const local = early ? { ...options.local, startBlobService: early.claim } : options.local;
  let server: BatchServer | undefined;
  let composition: Composition<LocalBackend>;
  try {
    const { BatchServer } = await import("./server/batch-server.js");
    server = await BatchServer.listen({
      host: endpoint.host,
      port: endpoint.port,
      account: endpoint.authentication ? { name: DEV_BATCH_ACCOUNT_NAME, key: DEV_BATCH_ACCOUNT_KEY } : false,
    });
    const { composeLocal } = await import("./composition-root.js");
    composition = await composeLocal(config, { local, accountUrl: server.url });
  } catch (error) {
    await server?.close();
    await early?.release();
    throw error;
  }
  const [{ Dashboard }, { DashboardAccess }] = await Promise.all([import("./dashboard/dashboard.js"), import("./dashboard/dashboard-access.js")]);
  const { blob } = composition.backend;
  const { batch } = composition.backend;
  const access = DashboardAccess.forHost(endpoint.host, DEV_BATCH_ACCOUNT_KEY);
  server.serve(batch, { faults: batch.faults, dashboard: new Dashboard(batch, { access, actions: endpoint.dashboardActions }) });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= server.close().finally(() => composition.dispose());
    return closing;
  };
  return {
    batchUrl: server.url,
    batchAccountName: DEV_BATCH_ACCOUNT_NAME,
    batchAccountKey: DEV_BATCH_ACCOUNT_KEY,
    blobEndpoint: blob.blobEndpoint,
    storageAccountName: blob.accountName,
    storageAccountKey: blob.accountKey,
    storageConnectionString: blob.connectionString,
    dataDir: composition.backend.dataDir,
    dashboardUrl: access.token ? `${server.url}/?token=${access.token}` : `${server.url}/`,
    injectFault: (fault) => batch.faults.inject(fault),
    addApplicationPackage: async (applicationId, version, zipFile, packageOptions) => {
      await batch.application.add(applicationId, version, zipFile, packageOptions);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
