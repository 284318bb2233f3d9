/** Job schedules survive a restart on the same data directory: their jobs, counters and timers. */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { LocalBackend } from "../../../src/backends/local/local-backend.js";
import { FakeClock } from "../../support/fake-clock.js";
import { FakeNodeRuntime } from "../../support/fake-node-runtime.js";
import { waitFor } from "../../support/settle.js";
import { startOn } from "../../support/start-on-data-dir.js";

const MINUTE = 60_000;

async function start(dataDir: string, clock: FakeClock, runtime = new FakeNodeRuntime(clock)) {
  const { backend } = await startOn(dataDir, clock, runtime);
  open.push(backend);
  return backend;
}

const open: LocalBackend[] = [];
let dataDir: string;

afterEach(async () => {
  for (const backend of open.splice(0).reverse()) await backend.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("job schedules across a restart", () => {
  it("come back with their jobs and counters, and the next job is created when it falls due", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-schedule-restart-"));
    const clock = new FakeClock();
    const first = await start(dataDir, clock);
    await first.batch.jobSchedule.add({ id: "s", schedule: { recurrenceInterval: "PT10M" }, jobSpecification: { poolInfo: { poolId: "p" } } });
    await first.batch.job.terminate("s:job-1");
    await clock.advance(10 * MINUTE);
    await first.batch.job.terminate("s:job-2");
    await first.batch.jobSchedule.add({ id: "off", schedule: { recurrenceInterval: "PT10M" }, jobSpecification: { poolInfo: { poolId: "p" } } });
    await first.batch.jobSchedule.disable("off");
    const before = await first.batch.jobSchedule.get("s");

    // The first process dies; a second starts on the same directory two minutes later.
    const laterClock = new FakeClock(clock.now() + 2 * MINUTE);
    const second = await start(dataDir, laterClock);
    const after = await second.batch.jobSchedule.get("s");
    expect(after).toEqual(before);
    expect(after.executionInfo).toMatchObject({ recentJob: { id: "s:job-2" }, nextRunTime: new Date(clock.now() + 10 * MINUTE).toISOString() });
    expect((await second.batch.jobSchedule.get("off")).state).toBe("disabled");

    await laterClock.advance(8 * MINUTE);
    expect((await second.batch.jobSchedule.listJobs("s")).map((job) => job.id)).toEqual(["s:job-1", "s:job-2", "s:job-3"]);
    expect((await second.batch.jobSchedule.listJobs("off")).map((job) => job.id)).toEqual(["off:job-1"]);
  });

  it("a deletion in progress finishes after the restart", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-schedule-restart-"));
    const clock = new FakeClock();
    const runtime = new FakeNodeRuntime(clock);
    const held = runtime.hold("work");
    const first = await start(dataDir, clock, runtime);
    await first.batch.pool.add({ id: "p", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
    await first.batch.jobSchedule.add({ id: "gone", schedule: {}, jobSpecification: { poolInfo: { poolId: "p" } } });
    await first.batch.task.add("gone:job-1", { id: "t", commandLine: "work" });
    await waitFor(() => held.running.length === 1, { what: "the task to run" });
    await first.batch.jobSchedule.delete("gone");
    expect((await first.batch.jobSchedule.get("gone")).state).toBe("deleting");

    const second = await start(dataDir, new FakeClock(clock.now() + MINUTE));
    await waitFor(async () => !(await second.batch.jobSchedule.exists("gone")), { what: "the schedule to be gone" });
    expect(await second.batch.job.list()).toEqual([]);
  });
});
