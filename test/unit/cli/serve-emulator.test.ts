import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { describe, expect, it } from "vitest";
import { compose, composeLocal } from "../../../src/composition-root.js";
import { ConfigError, type MalachiteConfig } from "../../../src/core/config/index.js";
import { serveEmulator } from "../../../src/serve-emulator.js";
import { stubLocalDependencies } from "./stub-local-dependencies.js";

function localConfig(): MalachiteConfig {
  return { backend: "local", local: { dataDir: mkdtempSync(path.join(os.tmpdir(), "malachite-compose-")), azurite: { port: 0 } }, azure: {} };
}

describe("the emulator behind malachite serve and startMalachite(), composed without Docker", () => {
  it("listens first, composes the local backend to report the endpoint's URL, serves it, and closes everything", async () => {
    const local = stubLocalDependencies();
    const config = localConfig();
    const malachite = await serveEmulator(config, { host: "127.0.0.1", port: 0, authentication: true }, { local });
    try {
      expect(malachite.batchUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(malachite.blobEndpoint).toBe(local.blob.blobEndpoint);
      expect(malachite.storageConnectionString).toBe(local.blob.connectionString);
      expect([malachite.storageAccountName, malachite.storageAccountKey]).toEqual([local.blob.accountName, local.blob.accountKey]);
      expect(malachite.dataDir).toBe(config.local.dataDir);

      const client = new BatchServiceClient(new BatchSharedKeyCredentials(malachite.batchAccountName, malachite.batchAccountKey), malachite.batchUrl);
      await client.job.add({ id: "composed", poolInfo: { poolId: "nowhere" } });
      expect((await client.job.get("composed")).url).toBe(`${malachite.batchUrl}/jobs/composed`);
    } finally {
      await malachite.close();
    }
    expect(local.blob.stopped).toBe(1);
    await expect(fetch(`${malachite.batchUrl}/jobs`)).rejects.toThrow();
  });

  it("refuses a backend other than local before starting anything", async () => {
    const local = stubLocalDependencies();
    const azure: MalachiteConfig = { ...localConfig(), backend: "azure" };
    await expect(composeLocal(azure, { local })).rejects.toThrow(ConfigError);
    await expect(serveEmulator(azure, { host: "127.0.0.1", port: 0, authentication: true }, { local })).rejects.toThrow(
      "serving the Batch API works with the local backend only, not 'azure'",
    );
  });
});

describe("compose", () => {
  it("takes the local backend's dependencies and account URL, and disposes of what it started", async () => {
    const local = stubLocalDependencies();
    const composition = await compose(localConfig(), { accountUrl: "http://batch.example:4711", local });
    expect(composition.backend.kind).toBe("local");
    await composition.backend.batch.job.add({ id: "j", poolInfo: { poolId: "p" } });
    expect((await composition.backend.batch.job.get("j")).url).toBe("http://batch.example:4711/jobs/j");
    await composition.dispose();
    expect(local.blob.stopped).toBe(1);
  });
});

describe("the in-memory setting, composed", () => {
  it("keeps the Batch state in <dataDir>/state by default, so a start on the same directory brings it back", async () => {
    const config = localConfig();
    const first = await compose(config, { local: stubLocalDependencies() });
    await first.backend.batch.job.add({ id: "kept", poolInfo: { poolId: "p" } });
    await first.dispose();
    expect(existsSync(path.join(config.local.dataDir, "state", "journal.jsonl"))).toBe(true);
    const second = await compose(config, { local: stubLocalDependencies() });
    try {
      expect((await second.backend.batch.job.get("kept")).id).toBe("kept");
    } finally {
      await second.dispose();
    }
  });

  it("keeps nothing on disk with inMemory", async () => {
    const config: MalachiteConfig = { ...localConfig(), local: { ...localConfig().local, inMemory: true } };
    const first = await compose(config, { local: stubLocalDependencies() });
    await first.backend.batch.job.add({ id: "forgotten", poolInfo: { poolId: "p" } });
    await first.dispose();
    expect(existsSync(path.join(config.local.dataDir, "state"))).toBe(false);
    const second = await compose(config, { local: stubLocalDependencies() });
    try {
      expect(await second.backend.batch.job.list()).toEqual([]);
    } finally {
      await second.dispose();
    }
  });
});
