import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/core/backend.js";
import type { AutoPoolSpecification } from "../../src/core/models/index.js";
import type { ContractTarget } from "./backend-contract.js";
import { rejection } from "./batch-rejection.js";
import { uniqueId, waitUntil as realTimeWaitUntil } from "./wait-until.js";

/**
 * What every backend owes its users of auto pools, through the backend interface only: the pool
 * a job gets (without nodes: nothing has to come up), named by its prefix, deleted when the job
 * completes unless kept alive.
 */
export function describeAutoPoolContract(target: ContractTarget): void {
  describe(`auto pool contract: ${target.name}`, () => {
    let backend: Backend;
    const jobs: string[] = [];
    const pools: string[] = [];
    const HOOK_TIMEOUT_MS = 120_000;
    const waitUntil = target.waitUntil ?? realTimeWaitUntil;

    beforeAll(async () => {
      backend = await target.start();
    }, HOOK_TIMEOUT_MS);

    afterAll(async () => {
      for (const jobId of jobs) await backend?.batch.job.delete(jobId).catch(() => undefined);
      for (const poolId of pools) await backend?.batch.pool.delete(poolId).catch(() => undefined);
      await backend?.close();
    }, HOOK_TIMEOUT_MS);

    const spec = (keepAlive: boolean): AutoPoolSpecification => ({
      autoPoolIdPrefix: "contract",
      poolLifetimeOption: "job",
      keepAlive,
      pool: { vmSize: "standard_d2s_v3", targetDedicatedNodes: 0 },
    });

    async function addJobOnAutoPool(keepAlive: boolean): Promise<{ jobId: string; poolId: string }> {
      const jobId = uniqueId("autopool-job");
      jobs.push(jobId);
      await backend.batch.job.add({ id: jobId, poolInfo: { autoPoolSpecification: spec(keepAlive) } });
      const job = await waitUntil(
        () => backend.batch.job.get(jobId),
        (candidate) => candidate.executionInfo.poolId !== undefined,
        { what: `the auto pool of ${jobId}` },
      );
      const poolId = job.executionInfo.poolId as string;
      pools.push(poolId);
      return { jobId, poolId };
    }

    it("creates the job's pool with the prefix and deletes it when the job completes, unless keepAlive", async () => {
      const ended = await addJobOnAutoPool(false);
      const kept = await addJobOnAutoPool(true);
      expect(ended.poolId).toMatch(/^contract_/);
      expect(kept.poolId).not.toBe(ended.poolId);
      expect((await backend.batch.job.get(ended.jobId)).poolInfo.autoPoolSpecification).toMatchObject({
        autoPoolIdPrefix: "contract",
        poolLifetimeOption: "job",
      });
      for (const { poolId } of [ended, kept]) {
        await waitUntil(
          () => backend.batch.pool.exists(poolId),
          (exists) => exists,
          { what: `pool ${poolId} to exist` },
        );
      }

      for (const { jobId } of [ended, kept]) await backend.batch.job.terminate(jobId);
      for (const { jobId } of [ended, kept]) {
        await waitUntil(
          () => backend.batch.job.get(jobId),
          (job) => job.state === "completed",
          { what: `job ${jobId} to complete` },
        );
      }
      const state = async (poolId: string) => (await backend.batch.pool.list()).find((pool) => pool.id === poolId)?.state;
      await waitUntil(
        () => state(ended.poolId),
        (value) => value === undefined || value === "deleting",
        { what: "the auto pool to be deleted" },
      );
      expect(await state(kept.poolId)).toBe("active");
    });

    it("refuses an id prefix of more than 20 characters", async () => {
      const refused = await rejection(
        backend.batch.job.add({ id: uniqueId("autopool-job"), poolInfo: { autoPoolSpecification: { ...spec(false), autoPoolIdPrefix: "p".repeat(21) } } }),
      );
      expect([refused.statusCode, refused.code]).toEqual([400, "InvalidPropertyValue"]);
    });
  });
}
