/**
 * The task control contract through the Azure backend's operations (@azure/batch 10.2.0) against
 * the in-process endpoint on a fake node runtime: the mapping checked end to end without Docker.
 * The Docker run against `malachite serve` is test/integration/azure-backend.contract.test.ts.
 */
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { vi } from "vitest";
import { AzureBatchService } from "../../../src/backends/azure/azure-batch-service.js";
import { describeTaskControlContract } from "../../contract/task-control-contract.js";
import { installContractPrograms } from "../../support/contract-programs.js";
import { waitFor } from "../../support/settle.js";
import { TestBed } from "../../support/test-bed.js";

const WAIT_MS = 12_000;
vi.setConfig({ testTimeout: WAIT_MS + 3_000 });

describeTaskControlContract({
  name: "azure operations against the in-process endpoint, fake node runtime",
  async start() {
    const bed = await TestBed.start({ server: true });
    installContractPrograms(bed.runtime);
    const { batchUrl, batchAccountName, batchAccountKey } = bed.account;
    const client = new BatchServiceClient(new BatchSharedKeyCredentials(batchAccountName, batchAccountKey), batchUrl);
    const batch = new AzureBatchService(client, {
      vmSize: "standard_d2s_v3",
      virtualMachineConfiguration: { imageReference: { publisher: "p", offer: "o", sku: "s" }, nodeAgentSKUId: "batch.node.ubuntu 22.04" },
    });
    return { kind: "azure", batch, storage: bed.backend.storage, close: () => bed.close() };
  },
  nodeTimeoutMs: 4_000,
  async waitUntil(probe, done, { what } = {}) {
    let last = await probe();
    await waitFor(async () => done((last = await probe())), { what, timeoutMs: WAIT_MS });
    return last;
  },
});
