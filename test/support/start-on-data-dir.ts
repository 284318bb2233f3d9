/**
 * One "process" of Malachite on a data directory, for restart tests: a local backend with its own
 * fake runtime and clock, and a blob service nothing listens on. Start it again on the same
 * directory to restart.
 */
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from "../../src/backends/local/azurite/azurite-process.js";
import { LocalBackend, type BlobService } from "../../src/backends/local/local-backend.js";
import { FakeClock } from "./fake-clock.js";
import { FakeNodeRuntime } from "./fake-node-runtime.js";

/** A blob service nothing listens on: restart tests need none. */
export const stubBlobs = (): BlobService => ({
  accountName: AZURITE_ACCOUNT_NAME,
  accountKey: AZURITE_ACCOUNT_KEY,
  blobEndpoint: `http://127.0.0.1:9/${AZURITE_ACCOUNT_NAME}`,
  connectionString: "",
  stop: async () => undefined,
});

/** `blobs`: a blob service that outlives this "process" (Azurite started by the test), instead of one nothing listens on. */
export async function startOn(dataDir: string, clock = new FakeClock(), runtime = new FakeNodeRuntime(clock), blobs?: BlobService) {
  const blobService: BlobService = blobs
    ? {
        accountName: blobs.accountName,
        accountKey: blobs.accountKey,
        blobEndpoint: blobs.blobEndpoint,
        connectionString: blobs.connectionString,
        stop: async () => undefined,
      }
    : stubBlobs();
  const backend = await LocalBackend.start(
    { dataDir, azurite: { port: 0 } },
    { runtime, clock, nodeImage: async () => "malachite-node:fake", startBlobService: async () => blobService },
  );
  return { backend, runtime, clock };
}
