/**
 * What tasks used is kept with them in the journal, and what deleted jobs used in the data
 * directory: a restart on the same directory reports the same statistics.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { FAKE_CLOCK_START, FakeClock } from "../../support/fake-clock.js";
import { waitFor } from "../../support/settle.js";
import { startOn } from "../../support/start-on-data-dir.js";

let dataDir: string | undefined;

afterEach(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

const USED = { userCpuMs: 1500, kernelCpuMs: 250, readBytes: 1024, writeBytes: 2048, readOps: 3, writeOps: 4 };

it("keeps a task's usage and the deleted jobs' totals across a restart", async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-stats-"));
  const first = await startOn(dataDir);
  const work = first.runtime.hold("work");
  const batch = first.backend.batch;
  await batch.pool.add({ id: "p", vmSize: "Standard_F2", targetDedicatedNodes: 1 });
  for (const jobId of ["kept", "gone"]) {
    await batch.job.add({ id: jobId, poolInfo: { poolId: "p" } });
    await batch.task.add(jobId, { id: "t", commandLine: "work" });
    const run = await work.started("t");
    await first.clock.advance(4000);
    run.finish({ exitCode: 0, usage: USED });
    await waitFor(async () => (await batch.task.get(jobId, "t")).state === "completed", { what: `${jobId}'s task to complete` });
  }
  await batch.job.delete("gone");
  await waitFor(async () => !(await batch.job.list()).some((job) => job.id === "gone"), { what: "job gone to be deleted" });
  const before = await batch.job.getAllLifetimeStatistics();
  await first.backend.close();

  const second = await startOn(dataDir, new FakeClock(FAKE_CLOCK_START + 60_000));
  try {
    const task = await second.backend.batch.task.get("kept", "t", { withStats: true });
    expect(task.stats).toMatchObject({ wallClockTime: "PT4S", userCPUTime: "PT1.5S", kernelCPUTime: "PT0.25S", readIOps: 3, writeIOps: 4 });
    const after = await second.backend.batch.job.getAllLifetimeStatistics();
    expect(after).toMatchObject({ wallClockTime: "PT8S", userCPUTime: "PT3S", numSucceededTasks: 2, writeIOps: 8 });
    expect({ ...after, lastUpdateTime: undefined }).toEqual({ ...before, lastUpdateTime: undefined });
  } finally {
    await second.backend.close();
  }
});
