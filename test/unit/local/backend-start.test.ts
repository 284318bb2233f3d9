import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from "../../../src/backends/local/azurite/azurite-process.js";
import { LocalBackend, type BlobService, type LocalBackendDependencies } from "../../../src/backends/local/local-backend.js";
import { FakeClock } from "../../support/fake-clock.js";
import { FakeNodeRuntime } from "../../support/fake-node-runtime.js";
import { settle } from "../../support/settle.js";

/** A blob service that records its stops. */
function stubBlobs(): BlobService & { stops: number } {
  return {
    accountName: AZURITE_ACCOUNT_NAME,
    accountKey: AZURITE_ACCOUNT_KEY,
    blobEndpoint: `http://127.0.0.1:9/${AZURITE_ACCOUNT_NAME}`,
    connectionString: "",
    stops: 0,
    async stop() {
      this.stops += 1;
    },
  };
}

/**
 * The three preparations of a start (the sweep's container listing, the node image, the blob
 * service), each held at its beginning until the test releases them, so a test sees which had begun.
 */
function heldPreparations(outcome: { image?: Error; blob?: Error } = {}) {
  const began: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const hold = async (name: string) => {
    began.push(name);
    await released;
  };
  const clock = new FakeClock();
  const runtime = new FakeNodeRuntime(clock);
  const list = runtime.listManaged.bind(runtime);
  runtime.listManaged = async (labels) => {
    await hold("sweep");
    return list(labels);
  };
  const blob = stubBlobs();
  const dependencies: Partial<LocalBackendDependencies> = {
    runtime,
    clock,
    nodeImage: async () => {
      await hold("image");
      if (outcome.image) throw outcome.image;
      return "malachite-node:fake";
    },
    startBlobService: async () => {
      await hold("blob");
      if (outcome.blob) throw outcome.blob;
      return blob;
    },
  };
  return { began, release, blob, dependencies };
}

let dataDir: string;
const open: LocalBackend[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-start-"));
});

afterEach(async () => {
  for (const backend of open.splice(0)) await backend.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("starting the local backend", () => {
  it("sweeps leftovers, checks the node image and starts the blob service at once, not one after another", async () => {
    const { began, release, blob, dependencies } = heldPreparations();
    const starting = LocalBackend.start({ dataDir, azurite: { port: 0 } }, dependencies);
    await settle();
    expect([...began].sort()).toEqual(["blob", "image", "sweep"]);
    release();
    const backend = await starting;
    open.push(backend);
    expect(backend.blob).toBe(blob);
    expect(await backend.batch.pool.list()).toEqual([]);
  });

  it("stops a blob service that started when the node image fails, and releases the data directory's state", async () => {
    const { release, blob, dependencies } = heldPreparations({ image: new Error("no base image present") });
    const starting = LocalBackend.start({ dataDir, azurite: { port: 0 } }, dependencies);
    release();
    await expect(starting).rejects.toThrow("no base image present");
    expect(blob.stops).toBe(1);
    expect(existsSync(path.join(dataDir, "state", "owner.pid"))).toBe(false);
  });

  it("fails with the blob service's own error when it cannot start, and releases the data directory's state", async () => {
    const { release, dependencies } = heldPreparations({ blob: new Error("Azurite did not answer") });
    const starting = LocalBackend.start({ dataDir, azurite: { port: 0 } }, dependencies);
    release();
    await expect(starting).rejects.toThrow("Azurite did not answer");
    expect(existsSync(path.join(dataDir, "state", "owner.pid"))).toBe(false);
  });
});
