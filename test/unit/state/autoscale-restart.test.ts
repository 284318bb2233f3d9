/** Autoscale pools survive a restart on the same data directory: their settings, last run and schedule. */
import { describe, expect, it } from "vitest";
import { FakeClock } from "../../support/fake-clock.js";
import { restartsOnOneDataDir } from "../../support/restarts.js";

const MINUTE = 60_000;
const { start } = restartsOnOneDataDir("malachite-autoscale-restart-");

describe("autoscale across a restart", () => {
  it("keeps the formula, interval and last run, and runs again when the interval since the last run has passed", async () => {
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
