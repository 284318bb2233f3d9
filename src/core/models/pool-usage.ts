/** `GET /poolusagemetrics` (REST `PoolUsageMetrics`): a pool's use in one aggregation interval. */
export interface PoolUsageMetrics {
  poolId: string;
  startTime: string;
  endTime: string;
  vmSize: string;
  totalCoreHours: number;
}

/** The query of a usage metrics list: intervals that start at or after `startTime` and end by `endTime`. */
export interface PoolUsageMetricsQuery {
  startTime?: string;
  endTime?: string;
}
