import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_TIMER_DELAY_MS, systemClock } from "../../../src/backends/local/state/clock.js";
import { FAKE_CLOCK_START } from "../../support/fake-clock.js";
import { TestBed } from "../../support/test-bed.js";

describe("the injected clock", () => {
  let bed: TestBed;

  beforeEach(async () => {
    bed = await TestBed.start();
  });

  afterEach(async () => {
    await bed.close();
  });

  it("stamps pools, nodes, jobs and tasks with its time, and times tasks by it", async () => {
    await bed.clock.advance(3_600_000);
    const hourLater = new Date(FAKE_CLOCK_START + 3_600_000).toISOString();
    const { pool, nodes } = await bed.addPool("p");
    expect([pool.creationTime, nodes[0]?.allocationTime]).toEqual([hourLater, hourLater]);
    const job = await bed.addJob("j", "p");
    expect([job.creationTime, job.executionInfo.startTime]).toEqual([hourLater, hourLater]);

    await bed.batch.task.add("j", { id: "t", commandLine: "sleep 5" });
    await bed.waitFor(() => bed.runtime.processesOf("t")[0]?.state === "running", "the task's process");
    await bed.clock.advance(5_000);
    const task = await bed.taskIn("j", "t", "completed");
    expect(task.creationTime).toBe(hourLater);
    expect(task.executionInfo.startTime).toBe(hourLater);
    expect(task.executionInfo.endTime).toBe(new Date(FAKE_CLOCK_START + 3_605_000).toISOString());
    expect(task.stateTransitionTime).toBe(task.executionInfo.endTime);
  });
});

describe("the system clock", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: FAKE_CLOCK_START });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("waits out delays longer than Node's timers allow (P30D is 30 days, not at once)", () => {
    const fired = vi.fn();
    systemClock.setTimer(30 * 24 * 3600_000, fired);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS + 1);
    vi.advanceTimersByTime(30 * 24 * 3600_000 - MAX_TIMER_DELAY_MS - 2);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
  });

  it("cancels a long timer, also once it has been re-armed", () => {
    const fired = vi.fn();
    const timer = systemClock.setTimer(30 * 24 * 3600_000, fired);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS + 1);
    timer.cancel();
    vi.advanceTimersByTime(31 * 24 * 3600_000);
    expect(fired).not.toHaveBeenCalled();
  });
});
