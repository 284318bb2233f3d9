import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { startMalachite } from "../src/start-malachite.js";

/** Median time of `fn` over `runs` calls, after a few warm-up calls. */
async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
}

/** Round trips of the official JS SDK against `malachite serve` (SharedKey signed and checked). */
export async function restRoundTrips(runs = 200): Promise<{ getPoolMs: number; listTasksMs: number }> {
  const malachite = await startMalachite();
  try {
    const client = new BatchServiceClient(new BatchSharedKeyCredentials(malachite.batchAccountName, malachite.batchAccountKey), malachite.batchUrl);
    await client.pool.add({ id: "rest", vmSize: "standard_d2s_v3", targetDedicatedNodes: 0 });
    await client.job.add({ id: "rest", poolInfo: { poolId: "rest" } });
    await client.task.addCollection(
      "rest",
      Array.from({ length: 100 }, (_, i) => ({ id: `t${i}`, commandLine: "true" })),
    );
    return {
      getPoolMs: await medianMs(runs, () => client.pool.get("rest")),
      listTasksMs: await medianMs(runs / 4, () => client.task.list("rest")),
    };
  } finally {
    await malachite.close();
  }
}
