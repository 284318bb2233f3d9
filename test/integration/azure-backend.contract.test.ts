/**
 * The backend contract through the Azure backend: offline against `malachite serve` (Malachite's
 * own Batch endpoint and Azurite, standing in for Azure), and against real Azure when its
 * credentials are in the environment.
 */
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzureBackend } from "../../src/backends/azure/azure-backend.js";
import type { Backend } from "../../src/core/backend.js";
import { loadConfig } from "../../src/core/config/load-config.js";
import { startMalachite, type RunningMalachite } from "../../src/start-malachite.js";
import { describeBackendContract } from "../contract/backend-contract.js";
import { describeDependencyContract } from "../contract/dependency-contract.js";
import { describeTaskControlContract } from "../contract/task-control-contract.js";
import { describeMultiInstanceContract } from "../contract/multi-instance-contract.js";
import { describeJobPreparationContract } from "../contract/job-preparation-contract.js";
import { describeJobScheduleContract } from "../contract/job-schedule-contract.js";
import { describeNodeOperationsContract } from "../contract/node-operations-contract.js";
import { describePoolSizingContract } from "../contract/pool-sizing-contract.js";
import { describeNodeUserContract } from "../contract/node-user-contract.js";
import { describePoolUpdateContract } from "../contract/pool-update-contract.js";
import { describeAutoScaleContract } from "../contract/autoscale-contract.js";
import { describeAutoPoolContract } from "../contract/auto-pool-contract.js";
import { uniqueId, waitUntil } from "../contract/wait-until.js";

const TASK_IMAGE = "registry.malachite.test/malachite-node:1";

function startMalachiteForTest(): Promise<RunningMalachite> {
  return startMalachite({ baseImage: process.env.MALACHITE_BASE_IMAGE || undefined });
}

function azureBackendOn(malachite: RunningMalachite): Promise<AzureBackend> {
  return AzureBackend.create({
    batchAccountName: malachite.batchAccountName,
    batchAccountKey: malachite.batchAccountKey,
    batchEndpoint: malachite.batchUrl,
    storageConnectionString: malachite.storageConnectionString,
    taskImage: TASK_IMAGE,
  });
}

/** The Azure backend on a Malachite of its own; closing it also closes that Malachite. */
async function startAzureAgainstMalachite(): Promise<Backend> {
  const malachite = await startMalachiteForTest();
  let backend: AzureBackend;
  try {
    backend = await azureBackendOn(malachite);
  } catch (error) {
    await malachite.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    kind: backend.kind,
    batch: backend.batch,
    storage: backend.storage,
    taskContainer: backend.taskContainer,
    poolPlacement: backend.poolPlacement,
    close: () => (closing ??= backend.close().finally(() => malachite.close())),
  };
}

describeBackendContract({ name: "azure (against malachite serve)", start: startAzureAgainstMalachite, nodeTimeoutMs: 60_000 });
describeDependencyContract({ name: "azure (against malachite serve)", start: startAzureAgainstMalachite, nodeTimeoutMs: 60_000 });
describeTaskControlContract({ name: "azure (against malachite serve)", start: startAzureAgainstMalachite, nodeTimeoutMs: 60_000 });
describeMultiInstanceContract({ name: "azure (against malachite serve)", start: startAzureAgainstMalachite, nodeTimeoutMs: 60_000 });
describeJobPreparationContract({ name: "azure (against malachite serve)", start: startAzureAgainstMalachite, nodeTimeoutMs: 60_000 });
describeJobScheduleContract({ name: "azure (against malachite serve)", start: startAzureAgainstMalachite, nodeTimeoutMs: 60_000 });
describeNodeOperationsContract({ name: "azure (against malachite serve)", start: startAzureAgainstMalachite, nodeTimeoutMs: 60_000 });
describePoolSizingContract({ name: "azure (against malachite serve)", start: startAzureAgainstMalachite, nodeTimeoutMs: 60_000 });
describeNodeUserContract({ name: "azure (against malachite serve)", start: startAzureAgainstMalachite, nodeTimeoutMs: 60_000 });
describePoolUpdateContract({ name: "azure (against malachite serve)", start: startAzureAgainstMalachite, nodeTimeoutMs: 60_000 });
describeAutoScaleContract({ name: "azure (against malachite serve)", start: startAzureAgainstMalachite, nodeTimeoutMs: 60_000 });
describeAutoPoolContract({ name: "azure (against malachite serve)", start: startAzureAgainstMalachite, nodeTimeoutMs: 60_000 });

/**
 * What the Azure backend returns is what the service sent: each entity deep-equals the JSON of
 * the REST response (less `odata.metadata`), read raw through the same SDK.
 */
describe("azure backend (against malachite serve): entities as the REST API sends them", () => {
  let malachite: RunningMalachite;
  let backend: AzureBackend;
  let client: BatchServiceClient;
  const poolId = uniqueId("pool");
  const jobId = uniqueId("job");

  /** The JSON body of a response, as the service sent it. */
  const rawJson = (response: { _response: { bodyAsText?: string | null } }) => {
    const { "odata.metadata": _metadata, ...json } = JSON.parse(response._response.bodyAsText ?? "{}") as Record<string, unknown>;
    return json;
  };

  beforeAll(async () => {
    malachite = await startMalachiteForTest();
    backend = await azureBackendOn(malachite);
    client = new BatchServiceClient(new BatchSharedKeyCredentials(malachite.batchAccountName, malachite.batchAccountKey), malachite.batchUrl);
  });

  afterAll(async () => {
    await backend?.close();
    await malachite?.close();
  });

  it("returns pools, jobs, tasks and counts field for field", async () => {
    const added = await backend.batch.pool.add({
      id: poolId,
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 0,
      startTask: {
        commandLine: "/bin/true",
        containerSettings: { imageName: TASK_IMAGE, registry: { registryServer: "registry.malachite.test", username: "puller", password: "pw" } },
        userIdentity: { autoUser: { scope: "pool", elevationLevel: "admin" } },
      },
      metadata: [{ name: "purpose", value: "fidelity" }],
    });
    expect(added.virtualMachineConfiguration).toEqual(backend.poolPlacement.virtualMachineConfiguration);
    const pool = await waitUntil(
      () => backend.batch.pool.get(poolId),
      (p) => p.allocationState === "steady",
      { what: "a steady pool" },
    );
    expect(pool).toEqual(rawJson(await client.pool.get(poolId)));
    expect((pool.startTask?.containerSettings as { registry?: unknown } | undefined)?.registry).toMatchObject({ username: "puller" });

    await backend.batch.job.add({
      id: jobId,
      poolInfo: { poolId },
      constraints: { maxWallClockTime: "PT1H", maxTaskRetryCount: 1 },
      metadata: [{ name: "m", value: "1" }],
    });
    expect(await backend.batch.job.get(jobId)).toEqual(rawJson(await client.job.get(jobId)));

    await backend.batch.task.add(jobId, {
      id: "waiting",
      commandLine: "/bin/true",
      constraints: { maxWallClockTime: "PT10M", maxTaskRetryCount: 2 },
      environmentSettings: [{ name: "A", value: "1" }],
      resourceFiles: [{ httpUrl: "http://127.0.0.1:1/nothing", filePath: "x.txt" }],
    });
    expect(await backend.batch.task.get(jobId, "waiting")).toEqual(rawJson(await client.task.get(jobId, "waiting")));
    expect(await backend.batch.task.list(jobId)).toEqual([rawJson(await client.task.get(jobId, "waiting"))]);
    expect(await backend.batch.job.getTaskCounts(jobId)).toEqual(rawJson(await client.job.getTaskCounts(jobId)));
    expect((await backend.batch.pool.list()).find((p) => p.id === poolId)).toEqual(rawJson(await client.pool.get(poolId)));
  });

  it("cleans up", async () => {
    await backend.batch.job.delete(jobId);
    await backend.batch.pool.delete(poolId);
    await waitUntil(
      () => backend.batch.pool.exists(poolId),
      (exists) => !exists,
      { what: "the pool to go" },
    );
  });
});

/** Real Azure: only when its credentials are in the environment (they never are in CI). */
const env = process.env;
const live = Boolean(
  env.AZURE_BATCH_ACCOUNT &&
  env.AZURE_BATCH_ACCESS_KEY &&
  env.AZURE_BATCH_ENDPOINT &&
  (env.AZURE_STORAGE_CONNECTION_STRING || (env.AZURE_STORAGE_ACCOUNT && env.AZURE_STORAGE_KEY)),
);

describe.skipIf(!live)(
  live
    ? "azure backend against real Azure"
    : "azure backend against real Azure (skipped: set AZURE_BATCH_ACCOUNT, AZURE_BATCH_ACCESS_KEY, AZURE_BATCH_ENDPOINT and AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY, to run against real Azure)",
  () => {
    describeBackendContract({
      name: "azure (real service)",
      // The contract runs its commands on the nodes themselves; the task image is needed by the
      // backend's settings only, so a placeholder does when none is configured.
      start: () => {
        const config = loadConfig({}, env).azure;
        return AzureBackend.create({ ...config, taskImage: config.taskImage ?? "placeholder.azurecr.io/malachite-node:1" });
      },
      nodeTimeoutMs: 20 * 60_000,
    });
    describeJobScheduleContract({
      name: "azure (real service)",
      start: () => {
        const config = loadConfig({}, env).azure;
        return AzureBackend.create({ ...config, taskImage: config.taskImage ?? "placeholder.azurecr.io/malachite-node:1" });
      },
      nodeTimeoutMs: 20 * 60_000,
    });
  },
);
