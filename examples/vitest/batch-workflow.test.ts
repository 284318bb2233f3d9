// An example of a user's own test suite running against Malachite (copy it into your project).
// It needs Docker and Node 20; `npm install --save-dev malachite @azure/batch vitest`.
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { startMalachite, type RunningMalachite } from "malachite";
import { afterAll, beforeAll, expect, it } from "vitest";

let batch: RunningMalachite;
let client: BatchServiceClient;

beforeAll(async () => {
  batch = await startMalachite(); // Azurite + a Batch endpoint on free ports of 127.0.0.1
  client = new BatchServiceClient(new BatchSharedKeyCredentials(batch.batchAccountName, batch.batchAccountKey), batch.batchUrl);
}, 120_000);

afterAll(async () => {
  await batch?.close(); // removes every node container and stops Azurite
});

it("runs a task and reads its stdout", async () => {
  await client.pool.add({ id: "pool", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
  await client.job.add({ id: "job", poolInfo: { poolId: "pool" } });
  await client.task.add("job", { id: "hello", commandLine: "/bin/bash -c 'echo hello from $AZ_BATCH_NODE_ID'" });
  let task = await client.task.get("job", "hello");
  while (task.state !== "completed") {
    await new Promise((resolve) => setTimeout(resolve, 250));
    task = await client.task.get("job", "hello");
  }
  expect(task.executionInfo?.exitCode).toBe(0);
}, 120_000);
