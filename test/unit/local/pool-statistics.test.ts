/** A pool's statistics from node lifetimes (dedicated core time) and autoscale samples (resource figures). */
import { describe, expect, it } from "vitest";
import { dedicatedCoreMs, resourceStatistics } from "../../../src/backends/local/services/pool-statistics.js";
import { FAKE_CLOCK_START } from "../../support/fake-clock.js";

const MINUTE = 60_000;
const GIB = 1024 ** 3;
const at = (minutes: number) => new Date(FAKE_CLOCK_START + minutes * MINUTE).toISOString();

describe("dedicatedCoreMs", () => {
  it("counts dedicated nodes' time times their cores, open lifetimes up to now, from the given start", () => {
    const lifetimes = [
      { poolId: "p", nodeId: "a", vmSize: "Standard_D4s_v3", start: at(0), end: at(10) },
      { poolId: "p", nodeId: "b", vmSize: "Standard_D2s_v3", start: at(5) },
      { poolId: "p", nodeId: "spot", vmSize: "Standard_D8s_v3", start: at(0), dedicated: false },
      { poolId: "p", nodeId: "old", vmSize: "Standard_D2s_v3", start: at(-30), end: at(-20) },
    ];
    // a: 4 cores × 10 min; b: 2 cores × 15 min; the Spot node and the earlier pool's node do not count.
    expect(dedicatedCoreMs(lifetimes, FAKE_CLOCK_START, FAKE_CLOCK_START + 20 * MINUTE)).toBe(70 * MINUTE);
  });
});

describe("resourceStatistics", () => {
  it("averages CPU and memory, peaks memory and sums the I/O counters over the samples", () => {
    const sample = (minutes: number, value: number) => ({ time: FAKE_CLOCK_START + minutes * MINUTE, value });
    const stats = resourceStatistics(
      {
        $CPUPercent: [sample(1, 20), sample(2, 60)],
        $MemoryBytes: [sample(1, GIB), sample(2, 3 * GIB)],
        $DiskWriteBytes: [sample(2, GIB / 2), sample(3, GIB / 2)],
        $DiskReadOps: [sample(2, 7), sample(3, 5)],
      },
      FAKE_CLOCK_START + 4 * MINUTE,
    );
    expect(stats).toEqual({
      startTime: at(1),
      lastUpdateTime: at(4),
      avgCPUPercentage: 40,
      avgMemoryGiB: 2,
      peakMemoryGiB: 3,
      avgDiskGiB: 0,
      peakDiskGiB: 0,
      diskReadIOps: 12,
      diskWriteIOps: 0,
      diskReadGiB: 0,
      diskWriteGiB: 1,
      networkReadGiB: 0,
      networkWriteGiB: 0,
    });
  });

  it("is nothing without node samples", () => {
    expect(resourceStatistics({ $ActiveTasks: [{ time: FAKE_CLOCK_START, value: 1 }] }, FAKE_CLOCK_START)).toBeUndefined();
  });
});
