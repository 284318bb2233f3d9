// An example of an autoscale pool on Malachite (copy it into your project): the pool's formula sizes
// it from the tasks waiting in its jobs, so it grows when tasks are queued and shrinks when they
// are done. Formulas run when autoscale is enabled and then every autoScaleEvaluationInterval (5
// minutes at least); to see them act within a test, enable autoscale again, which runs the formula
// at once, as on the service. It needs Docker and Node 20;
// `npm install --save-dev malachite @azure/batch vitest`.
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
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

/** At most two nodes, one per pending (active or running) task; running tasks finish before their node goes. */
const FORMULA = `
  $tasks = max(0, $PendingTasks.GetSample(1));
  $TargetDedicatedNodes = min(2, $tasks);
  $NodeDeallocationOption = taskcompletion;`;

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

it("grows the pool when tasks are queued and shrinks it when they are done", async () => {
  await client.pool.add({ id: "scaled", vmSize: "standard_d2s_v3", enableAutoScale: true, autoScaleFormula: FORMULA, autoScaleEvaluationInterval: "PT5M" });
  const created = await client.pool.get("scaled");
  expect(created.autoScaleRun?.results).toMatch(/^\$TargetDedicatedNodes=0;/); // nothing to do yet

  await client.job.add({ id: "work", poolInfo: { poolId: "scaled" } });
  for (const id of ["a", "b"]) await client.task.add("work", { id, commandLine: "/bin/bash -c 'sleep 2; echo done'" });

  // What the formula would decide now, without applying it:
  const preview = await client.pool.evaluateAutoScale("scaled", FORMULA);
  expect(preview.error).toBeUndefined();

  await client.pool.enableAutoScale("scaled", { autoScaleFormula: FORMULA }); // runs the formula now
  expect((await client.pool.get("scaled")).targetDedicatedNodes).toBe(2);
  const grown = await until(
    () => client.computeNode.list("scaled"),
    (nodes) => nodes.length === 2,
  );
  expect(grown).toHaveLength(2);
  for (const id of ["a", "b"]) {
    const task = await until(
      () => client.task.get("work", id),
      (t) => t.state === "completed",
    );
    expect(task.executionInfo?.exitCode).toBe(0);
  }

  await client.pool.enableAutoScale("scaled", { autoScaleFormula: FORMULA });
  const shrunk = await until(
    () => client.pool.get("scaled"),
    (pool) => pool.currentDedicatedNodes === 0 && pool.allocationState === "steady",
  );
  expect(shrunk.targetDedicatedNodes).toBe(0);
  expect(shrunk.autoScaleRun?.results).toContain("$tasks=0");
}, 90_000);
