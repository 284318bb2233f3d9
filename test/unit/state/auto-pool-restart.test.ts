/** Auto pools across a restart on the same data directory: the link from a job or a schedule to its pool is kept. */
import { describe, expect, it } from "vitest";
import type { LocalBackend } from "../../../src/backends/local/local-backend.js";
import type { PoolSpecification } from "../../../src/core/models/index.js";
import { FakeClock } from "../../support/fake-clock.js";
import { waitFor } from "../../support/settle.js";
import { restartsOnOneDataDir } from "../../support/restarts.js";

const HOUR = 3600_000;
const POOL: PoolSpecification = { vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 };

const { start } = restartsOnOneDataDir("malachite-autopool-restart-");

async function poolIdOf(backend: LocalBackend, jobId: string): Promise<string> {
  const poolId = (await backend.batch.job.get(jobId)).executionInfo.poolId as string;
  await waitFor(async () => (await backend.batch.computeNode.list(poolId)).some((node) => node.state === "idle"), { what: `a node of ${poolId}` });
  return poolId;
}

async function poolState(backend: LocalBackend, poolId: string): Promise<string | undefined> {
  return (await backend.batch.pool.list()).find((pool) => pool.id === poolId)?.state;
}

describe("auto pools across a restart", () => {
  it("a job's auto pool is still deleted when the job completes after the restart", async () => {
    const first = await start(new FakeClock());
    await first.batch.job.add({ id: "j", poolInfo: { autoPoolSpecification: { autoPoolIdPrefix: "ap", poolLifetimeOption: "job", pool: POOL } } });
    await first.batch.job.add({ id: "kept", poolInfo: { autoPoolSpecification: { poolLifetimeOption: "job", keepAlive: true, pool: POOL } } });
    const [poolId, keptId] = [await poolIdOf(first, "j"), await poolIdOf(first, "kept")];

    // The first process dies; a second starts on the same directory.
    const second = await start(new FakeClock());
    expect(await poolIdOf(second, "j")).toBe(poolId);
    expect(await poolState(second, poolId)).toBe("active");
    await second.batch.job.terminate("j");
    await second.batch.job.terminate("kept");
    await waitFor(async () => (await second.batch.job.get("kept")).state === "completed", { what: "job kept to complete" });
    expect((await second.batch.job.get("j")).state).toBe("completed");
    expect(await poolState(second, poolId)).not.toBe("active");
    expect(await poolState(second, keptId)).toBe("active");
  });

  it("a job journaled without its auto pool gets it after the restart", async () => {
    const first = await start(new FakeClock());
    await first.batch.job.add({ id: "j", poolInfo: { autoPoolSpecification: { autoPoolIdPrefix: "ap", poolLifetimeOption: "job", pool: POOL } } });
    const poolId = await poolIdOf(first, "j");
    // The journal as a process that stopped between the job's line and its pool's leaves it: the job, no pool.
    await first.batch.pool.delete(poolId);
    await waitFor(async () => !(await first.batch.pool.exists(poolId)), { what: "the pool to be gone" });

    const second = await start(new FakeClock());
    expect(await poolIdOf(second, "j")).toBe(poolId);
    expect((await second.batch.pool.get(poolId)).targetDedicatedNodes).toBe(1);
  });

  it("a schedule's auto pool serves its next job after the restart, and goes when the schedule completes", async () => {
    const clock = new FakeClock();
    const first = await start(clock);
    const poolInfo = { autoPoolSpecification: { poolLifetimeOption: "jobschedule" as const, pool: POOL } };
    await first.batch.jobSchedule.add({ id: "s", schedule: { recurrenceInterval: "PT1H" }, jobSpecification: { poolInfo } });
    const poolId = await poolIdOf(first, "s:job-1");
    await first.batch.job.terminate("s:job-1");

    const laterClock = new FakeClock(clock.now());
    const second = await start(laterClock);
    await laterClock.advance(HOUR);
    expect(await poolIdOf(second, "s:job-2")).toBe(poolId);
    expect((await second.batch.pool.list()).map((pool) => pool.id)).toEqual([poolId]);
    await second.batch.jobSchedule.terminate("s");
    await waitFor(async () => (await second.batch.jobSchedule.get("s")).state === "completed", { what: "the schedule to complete" });
    expect(await poolState(second, poolId)).not.toBe("active");
  });
});
