import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { LocalBackend } from "./backends/local/local-backend.js";
import { BatchServer } from "./server/batch-server.js";
import { DEV_BATCH_ACCOUNT_KEY, DEV_BATCH_ACCOUNT_NAME } from "./server/dev-account.js";

export interface MalachiteOptions {
  /** Address both endpoints listen on (default 127.0.0.1). */
  host?: string;
  /** Batch endpoint port; 0 (the default) picks a free one. */
  batchPort?: number;
  /** Azurite blob port; 0 (the default) picks a free one. */
  blobPort?: number;
  /** Check SharedKey signatures (default true). */
  authentication?: boolean;
  /** Host directory for node directories (default: a fresh temporary directory). */
  dataDir?: string;
  /** Base image of the node image (default: node:20-bookworm-slim or the offline malachite-base:bookworm). */
  baseImage?: string;
  /** Keep blobs on disk here instead of in memory. */
  blobLocation?: string;
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
  /** Stops the endpoint, removes every node container and stops Azurite. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts Azurite and a Batch endpoint on this machine, for a test suite or `malachite serve`:
 *
 *     const batch = await startMalachite();
 *     const client = new BatchServiceClient(new BatchSharedKeyCredentials(batch.batchAccountName, batch.batchAccountKey), batch.batchUrl);
 *     ...
 *     await batch.close();
 */
export async function startMalachite(options: MalachiteOptions = {}): Promise<RunningMalachite> {
  const host = options.host ?? "127.0.0.1";
  const authentication = options.authentication ?? true;
  const server = await BatchServer.listen({
    host,
    port: options.batchPort ?? 0,
    account: authentication ? { name: DEV_BATCH_ACCOUNT_NAME, key: DEV_BATCH_ACCOUNT_KEY } : false,
  });
  let backend: LocalBackend;
  try {
    backend = await LocalBackend.start({
      dataDir: options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), "malachite-serve-")),
      baseImage: options.baseImage,
      azurite: { port: options.blobPort ?? 0, location: options.blobLocation },
      accountUrl: server.url,
    });
  } catch (error) {
    await server.close();
    throw error;
  }
  server.serve(backend.batch);
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= server.close().finally(() => backend.close());
    return closing;
  };
  return {
    batchUrl: server.url,
    batchAccountName: DEV_BATCH_ACCOUNT_NAME,
    batchAccountKey: DEV_BATCH_ACCOUNT_KEY,
    blobEndpoint: backend.blob.blobEndpoint,
    storageAccountName: backend.blob.accountName,
    storageAccountKey: backend.blob.accountKey,
    storageConnectionString: backend.blob.connectionString,
    close,
    [Symbol.asyncDispose]: close,
  };
}
