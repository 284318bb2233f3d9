/**
 * Pool statistics (`$expand=stats`, `lifetimepoolstats`) from what the emulator recorded:
 *
 * - `usageStats.dedicatedCoreTime`: the dedicated nodes' time in the pool (the node lifetimes
 *   that pool usage metrics are computed from) times the cores of their VM size (`coresOf`).
 * - `resourceStats`: from the 30-second `docker stats` samples taken for an autoscale pool
 *   (pool-metrics.ts, its last six hours): average CPU and memory over the samples, peak memory,
 *   and the summed disk and network counters. Nodes share the host's network, so Docker reports
 *   no network counters: those stay 0, as do `avgDiskGiB`/`peakDiskGiB` (no disk use is sampled).
 *   A pool without samples (no autoscale) has no `resourceStats`: the service's model makes it
 *   optional, and no figure is better than a made-up one.
 */
import type { MetricSample, SampledMetricName } from "../../../core/autoscale/index.js";
import type { CloudPool, PoolStatistics, ResourceStatistics } from "../../../core/models/index.js";
import { formatDuration } from "../../../core/validation/durations.js";
import type { NodeLifetime } from "../state/node-lifetimes.js";
import { coresOf } from "./pool-usage-metrics.js";

const GIB = 1024 ** 3;

type Samples = Partial<Record<SampledMetricName, readonly MetricSample[]>>;

/** Dedicated core time (ms) of the lifetimes that began at or after `sinceMs`, up to `nowMs`. */
export function dedicatedCoreMs(lifetimes: Iterable<NodeLifetime>, sinceMs: number, nowMs: number): number {
  let total = 0;
  for (const lifetime of lifetimes) {
    if (lifetime.dedicated === false) continue;
    const start = Date.parse(lifetime.start);
    if (start < sinceMs) continue;
    const end = lifetime.end === undefined ? nowMs : Math.min(nowMs, Date.parse(lifetime.end));
    total += Math.max(0, end - start) * coresOf(lifetime.vmSize);
  }
  return total;
}

function values(samples: Samples, name: SampledMetricName): number[] {
  return (samples[name] ?? []).map((sample) => sample.value);
}

const sum = (numbers: number[]): number => numbers.reduce((total, value) => total + value, 0);
const mean = (numbers: number[]): number => (numbers.length ? sum(numbers) / numbers.length : 0);

/** Resource figures over the samples; undefined without any node sample. */
export function resourceStatistics(samples: Samples, nowMs: number): ResourceStatistics | undefined {
  const cpu = samples.$CPUPercent ?? [];
  const memory = values(samples, "$MemoryBytes");
  const first = [...cpu, ...(samples.$MemoryBytes ?? [])].reduce((min, sample) => Math.min(min, sample.time), Infinity);
  if (first === Infinity) return undefined;
  return {
    startTime: new Date(first).toISOString(),
    lastUpdateTime: new Date(nowMs).toISOString(),
    avgCPUPercentage: mean(cpu.map((sample) => sample.value)),
    avgMemoryGiB: mean(memory) / GIB,
    peakMemoryGiB: (memory.length ? Math.max(...memory) : 0) / GIB,
    avgDiskGiB: 0,
    peakDiskGiB: 0,
    diskReadIOps: sum(values(samples, "$DiskReadOps")),
    diskWriteIOps: sum(values(samples, "$DiskWriteOps")),
    diskReadGiB: sum(values(samples, "$DiskReadBytes")) / GIB,
    diskWriteGiB: sum(values(samples, "$DiskWriteBytes")) / GIB,
    networkReadGiB: sum(values(samples, "$NetworkInBytes")) / GIB,
    networkWriteGiB: sum(values(samples, "$NetworkOutBytes")) / GIB,
  };
}

/** One pool's statistics since its creation; node lifetimes of an earlier pool of the same id are not its own. */
export function poolStatistics(pool: CloudPool, lifetimes: readonly NodeLifetime[], samples: Samples, nowMs: number): PoolStatistics {
  const key = pool.id.toLowerCase();
  const own = lifetimes.filter((lifetime) => lifetime.poolId.toLowerCase() === key);
  const lastUpdateTime = new Date(nowMs).toISOString();
  const resourceStats = resourceStatistics(samples, nowMs);
  return {
    url: pool.url ?? "",
    startTime: pool.creationTime,
    lastUpdateTime,
    usageStats: {
      startTime: pool.creationTime,
      lastUpdateTime,
      dedicatedCoreTime: formatDuration(dedicatedCoreMs(own, Date.parse(pool.creationTime), nowMs)),
    },
    ...(resourceStats ? { resourceStats } : {}),
  };
}

/** Every pool the account ever had, over the emulator's record (node lifetimes are kept across restarts). */
export function lifetimePoolStatistics(url: string, lifetimes: readonly NodeLifetime[], nowMs: number): PoolStatistics {
  const first = lifetimes.reduce((min, lifetime) => Math.min(min, Date.parse(lifetime.start)), nowMs);
  const startTime = new Date(first).toISOString();
  const lastUpdateTime = new Date(nowMs).toISOString();
  return {
    url,
    startTime,
    lastUpdateTime,
    usageStats: { startTime, lastUpdateTime, dedicatedCoreTime: formatDuration(dedicatedCoreMs(lifetimes, first, nowMs)) },
  };
}
