/**
 * The job schedule contract through the Azure backend (@azure/batch 10.2.0) against Malachite's
 * own endpoint on the fake node runtime: the same round trip as against the service, Docker-free.
 */
import { AzureBackend } from "../../../src/backends/azure/azure-backend.js";
import type { Backend } from "../../../src/core/backend.js";
import { describeJobScheduleContract } from "../../contract/job-schedule-contract.js";
import { TestBed } from "../../support/test-bed.js";

async function start(): Promise<Backend> {
  const bed = await TestBed.start({ server: true });
  const { batchUrl, batchAccountName, batchAccountKey } = bed.account;
  const backend = await AzureBackend.create({
    batchAccountName,
    batchAccountKey,
    batchEndpoint: batchUrl,
    // Never reached: job schedules use no blobs.
    storageAccountName: "store",
    storageAccountKey: Buffer.alloc(64, 5).toString("base64"),
    taskImage: "registry.malachite.test/malachite-node:1",
  });
  return { kind: "azure", batch: backend.batch, storage: backend.storage, close: () => backend.close().finally(() => bed.close()) };
}

describeJobScheduleContract({ name: "azure backend against the in-process endpoint", start, nodeTimeoutMs: 4_000 });
