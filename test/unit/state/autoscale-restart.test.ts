/** Autoscale pools survive a restart on the same data directory: their settings, last run and schedule. */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { LocalBackend } from "../../../src/backends/local/local-backend.js";
import { FakeClock } from "../../support/fake-clock.js";
import { startOn } from "../../support/start-on-data-dir.js";

const MINUTE = 60_000;
const open: LocalBackend[] = [];
let dataDir: string;

async function start(clock: FakeClock): Promise<LocalBackend> {
  const { backend } = await startOn(dataDir, clock);
  open.push(backend);
  return backend;
}

afterEach(async () => {
  for (const backend of open.splice(0).reverse()) await backend.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("autoscale across a restart", () => {
  it("keeps the formula, interval and last run, and runs again when the interval since the last run has passed", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-autoscale-restart-"));
    const clock = new FakeClock();
    const first = await start(clock);
    await first.batch.pool.add({
      id: "p",
      vmSize: "standard_d2s_v3",
      enableAutoScale: true,
      autoScaleFormula: "$TargetDedicatedNodes = 0; $at = time()",
      autoScaleEvaluationInterval: "PT10M",
    });
    await clock.advance(10 * MINUTE);
    const before = await first.batch.pool.get("p");
    expect(before.autoScaleRun?.timestamp).toBe(clock.iso());

    // The first process dies; a second starts on the same directory four minutes later.
    const laterClock = new FakeClock(clock.now() + 4 * MINUTE);
    const second = await start(laterClock);
    const after = await second.batch.pool.get("p");
    expect(after).toMatchObject({
      enableAutoScale: true,
      autoScaleFormula: before.autoScaleFormula,
      autoScaleEvaluationInterval: "PT10M",
      autoScaleRun: before.autoScaleRun,
    });

    await laterClock.advance(6 * MINUTE - 1000);
    expect((await second.batch.pool.get("p")).autoScaleRun).toEqual(before.autoScaleRun);
    await laterClock.advance(1000);
    const rerun = (await second.batch.pool.get("p")).autoScaleRun;
    expect(rerun?.timestamp).toBe(laterClock.iso());
    expect(rerun?.results).toContain(`$at=${laterClock.iso()}`);
    await laterClock.advance(10 * MINUTE);
    expect((await second.batch.pool.get("p")).autoScaleRun?.timestamp).toBe(laterClock.iso());
  });
});
