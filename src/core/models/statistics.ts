/**
 * Resource statistics (`$expand=stats`, and the account-wide `lifetimepoolstats` and
 * `lifetimejobstats` of api-versions before 2023-05-01.17.0), in the REST API's names. Times are
 * ISO 8601 date-times, durations ISO 8601 durations, counts and GiB numbers.
 */

/** `UsageStatistics`: the pool's dedicated core time. */
export interface UsageStatistics {
  startTime: string;
  lastUpdateTime: string;
  dedicatedCoreTime: string;
}

/** `ResourceStatistics`: what the pool's nodes used, averaged and peaked over the covered time. */
export interface ResourceStatistics {
  startTime: string;
  lastUpdateTime: string;
  avgCPUPercentage: number;
  avgMemoryGiB: number;
  peakMemoryGiB: number;
  avgDiskGiB: number;
  peakDiskGiB: number;
  diskReadIOps: number;
  diskWriteIOps: number;
  diskReadGiB: number;
  diskWriteGiB: number;
  networkReadGiB: number;
  networkWriteGiB: number;
}

export interface PoolStatistics {
  url: string;
  startTime: string;
  lastUpdateTime: string;
  usageStats?: UsageStatistics;
  resourceStats?: ResourceStatistics;
}

/** `TaskStatistics`: CPU, wall clock, I/O and wait time of one task over all its attempts. */
export interface TaskStatistics {
  url: string;
  startTime: string;
  lastUpdateTime: string;
  userCPUTime: string;
  kernelCPUTime: string;
  wallClockTime: string;
  readIOps: number;
  writeIOps: number;
  readIOGiB: number;
  writeIOGiB: number;
  waitTime: string;
}

/** `JobStatistics` (and `JobScheduleStatistics`, the same shape): the sums over the tasks, and their outcomes. */
export interface JobStatistics extends TaskStatistics {
  numSucceededTasks: number;
  numFailedTasks: number;
  numTaskRetries: number;
}

export type JobScheduleStatistics = JobStatistics;
