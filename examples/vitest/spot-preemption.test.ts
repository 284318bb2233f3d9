// An example of testing what happens when Azure evicts a Spot node (copy it into your project):
// the real service cannot preempt a node on demand, Malachite can. The task on the preempted node
// is requeued (not failed) and completes on another Spot node. It needs Docker and Node 20;
// `npm install --save-dev malachite @azure/batch vitest`.
import { BatchServiceClient, BatchSharedKeyCredentials, type BatchServiceModels } from "@azure/batch";
import { startMalachite, type RunningMalachite } from "malachite";
import { afterAll, beforeAll, expect, it } from "vitest";

let batch: RunningMalachite;
let client: BatchServiceClient;

beforeAll(async () => {
  batch = await startMalachite();
  client = new BatchServiceClient(new BatchSharedKeyCredentials(batch.batchAccountName, batch.batchAccountKey), batch.batchUrl);
}, 120_000);

afterAll(async () => {
  await batch?.close();
});

/** Polls until `done` holds for what `read` returns. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

it("a job survives the preemption of the Spot node its task runs on", async () => {
  await client.pool.add({ id: "spot-pool", vmSize: "standard_d2s_v3", targetDedicatedNodes: 0, targetLowPriorityNodes: 2 });
  const nodes = await until(
    async () => [...(await client.computeNode.list("spot-pool"))],
    (list) => list.length === 2 && list.every((node) => node.state === "idle"),
  );
  expect(nodes.every((node) => node.isDedicated === false)).toBe(true);

  await client.job.add({ id: "spot-job", poolInfo: { poolId: "spot-pool" } });
  await client.task.add("spot-job", { id: "work", commandLine: "/bin/bash -c 'sleep 5; echo done'" });
  const running = await until(
    () => client.task.get("spot-job", "work"),
    (task) => task.state === "running",
  );
  const victim = running.nodeInfo?.nodeId as string;

  // Azure evicts the Spot VM: the node is preempted and its running task goes back to the queue.
  await batch.injectFault({ type: "preemptNode", poolId: "spot-pool", nodeId: victim });
  expect((await client.computeNode.get("spot-pool", victim)).state).toBe("preempted");

  const task: BatchServiceModels.CloudTask = await until(
    () => client.task.get("spot-job", "work"),
    (got) => got.state === "completed",
  );
  expect(task.executionInfo).toMatchObject({ exitCode: 0, result: "success", requeueCount: 1, retryCount: 0 });
  expect(task.nodeInfo?.nodeId).not.toBe(victim);
  // A preempted Spot node still counts in the pool, as on the service, until it comes back.
  expect((await client.pool.get("spot-pool")).currentLowPriorityNodes).toBe(2);
}, 120_000);
