import { BatchErrors } from "../../../core/batch-errors.js";
import type { PoolUsageMetrics, PoolUsageMetricsQuery } from "../../../core/models/index.js";
import type { NodeLifetime } from "../state/node-lifetimes.js";

/** The aggregation interval: one hour, aligned to the hour (UTC). */
export const USAGE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Cores per node of a VM size, for `totalCoreHours`: the number in the size's name, which for
 * Azure's sizes is the vCPU count (`Standard_D4s_v3` → 4, `Standard_F16` → 16, `Standard_A1_v2` → 1);
 * 1 for a name without one. Local nodes are containers that share the host's cores: this counts
 * what the pool would have used on the service, not what the host spent.
 */
export function coresOf(vmSize: string): number {
  const match = /^(?:standard_|basic_)?[a-z]+(\d+)/i.exec(vmSize);
  const cores = match ? Number(match[1]) : 1;
  return cores > 0 ? cores : 1;
}

function timeOf(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw BatchErrors.invalidPropertyValue(name, value, "The value is not a valid date and time.");
  return ms;
}

/**
 * The usage metrics of the complete intervals the query covers, from the node lifetimes, oldest
 * first and by pool: per pool, VM size and interval in which the pool had nodes, the node time
 * in hours times the cores of its size. Without `startTime` and `endTime`, the last complete
 * interval, as the service answers "the last aggregation interval currently available".
 */
export function poolUsageMetrics(lifetimes: readonly NodeLifetime[], query: PoolUsageMetricsQuery, nowMs: number): PoolUsageMetrics[] {
  const lastEnd = Math.floor(nowMs / USAGE_INTERVAL_MS) * USAGE_INTERVAL_MS;
  const requestedStart = timeOf("starttime", query.startTime);
  const requestedEnd = timeOf("endtime", query.endTime);
  const from = requestedStart !== undefined ? Math.floor(requestedStart / USAGE_INTERVAL_MS) * USAGE_INTERVAL_MS : lastEnd - USAGE_INTERVAL_MS;
  const to = Math.min(lastEnd, requestedEnd ?? lastEnd);
  const totals = new Map<string, PoolUsageMetrics & { ms: number }>();
  for (const lifetime of lifetimes) {
    const start = Math.max(Date.parse(lifetime.start), from);
    const end = Math.min(lifetime.end ? Date.parse(lifetime.end) : nowMs, to);
    for (let interval = Math.floor(start / USAGE_INTERVAL_MS) * USAGE_INTERVAL_MS; interval < end; interval += USAGE_INTERVAL_MS) {
      const overlap = Math.min(end, interval + USAGE_INTERVAL_MS) - Math.max(start, interval);
      if (overlap <= 0 || interval + USAGE_INTERVAL_MS > to) continue;
      const id = `${interval}/${lifetime.poolId}/${lifetime.vmSize}`;
      const entry = totals.get(id) ?? {
        poolId: lifetime.poolId,
        startTime: new Date(interval).toISOString(),
        endTime: new Date(interval + USAGE_INTERVAL_MS).toISOString(),
        vmSize: lifetime.vmSize,
        totalCoreHours: 0,
        ms: 0,
      };
      entry.ms += overlap;
      totals.set(id, entry);
    }
  }
  return [...totals.values()]
    .sort((a, b) => a.startTime.localeCompare(b.startTime) || a.poolId.localeCompare(b.poolId))
    .map(({ ms, ...metrics }) => ({ ...metrics, totalCoreHours: round((ms / USAGE_INTERVAL_MS) * coresOf(metrics.vmSize)) }));
}

/** Core hours to the precision the service reports them with (it gives e.g. 2.0 or 0.25). */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
