import { describe, expect, it } from "vitest";
import { EarlyBlobService } from "../../../src/backends/local/azurite/early-blob-service.js";
import type { BlobService } from "../../../src/backends/local/local-backend.js";

function stubBlobs(): BlobService & { stops: number } {
  return {
    accountName: "devstoreaccount1",
    accountKey: "a2V5",
    blobEndpoint: "http://127.0.0.1:9/devstoreaccount1",
    connectionString: "",
    stops: 0,
    async stop() {
      this.stops += 1;
    },
  };
}

describe("a blob service started ahead of the local backend", () => {
  it("is the backend's once claimed: releasing it then stops nothing", async () => {
    const blob = stubBlobs();
    const early = new EarlyBlobService(Promise.resolve(blob));
    expect(await early.claim()).toBe(blob);
    await early.release();
    expect(blob.stops).toBe(0);
  });

  it("is stopped, once, when released before the backend claimed it (a start that failed earlier)", async () => {
    const blob = stubBlobs();
    const early = new EarlyBlobService(Promise.resolve(blob));
    await early.release();
    await early.release();
    expect(blob.stops).toBe(1);
  });

  it("reports a failed start to the backend that claims it, and releases quietly when unclaimed", async () => {
    const failing = () => new EarlyBlobService(Promise.reject(new Error("Azurite exited before it was ready")));
    await expect(failing().claim()).rejects.toThrow("Azurite exited before it was ready");
    await expect(failing().release()).resolves.toBeUndefined();
  });

  it("is not started for blobs kept on disk: those wait for the backend's lock on the data directory", () => {
    expect(EarlyBlobService.startFor({ dataDir: "/tmp/x", azurite: { port: 0, location: "/tmp/x/blobs" } })).toBeUndefined();
  });
});
