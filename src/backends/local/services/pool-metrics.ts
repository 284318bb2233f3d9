import { SAMPLE_PERIOD_MS, type MetricSample, type SampledMetricName } from "../../../core/autoscale/index.js";
import { createLogger } from "../../../core/logger.js";
import type { NodeStats } from "../docker/node-runtime.js";
import type { Timer } from "../state/clock.js";
import { taskIndexOf } from "../state/job-task-index.js";
import type { JobRecord, PoolRecord, TaskRecord } from "../state/records.js";
import { idKey } from "../../../core/validation/ids.js";
import type { LocalContext } from "./local-context.js";
import { jobPoolId } from "../../../core/job-pool.js";

const log = createLogger("malachite:pool-metrics");

/** The history kept per metric: six hours of 30-second samples. */
const MAX_SAMPLES = 720;

type Counter = "diskReadBytes" | "diskWriteBytes" | "diskReadOps" | "diskWriteOps" | "networkInBytes" | "networkOutBytes";
const COUNTERS: Record<Counter, SampledMetricName> = {
  diskReadBytes: "$DiskReadBytes",
  diskWriteBytes: "$DiskWriteBytes",
  diskReadOps: "$DiskReadOps",
  diskWriteOps: "$DiskWriteOps",
  networkInBytes: "$NetworkInBytes",
  networkOutBytes: "$NetworkOutBytes",
};

/**
 * The samples autoscale formulas read, recorded every 30 seconds of the backend's clock for each
 * autoscale pool (a bounded history kept in memory, started afresh after a restart). Task and
 * node-count metrics come from the account's own state; CPU, memory, disk and network from the
 * node runtime's `nodeStats` where it reports them (Docker: `docker stats`; the nodes share the
 * host's network, so Docker reports no network counters and those metrics stay without samples).
 */
export class PoolMetrics {
  private readonly histories = new Map<PoolRecord, Map<SampledMetricName, MetricSample[]>>();
  private readonly timers = new Map<PoolRecord, Timer>();
  /** Each container's counters at the previous sample: the I/O metrics are what happened in between. */
  private readonly lastCounters = new Map<string, NodeStats>();

  constructor(
    private readonly ctx: LocalContext,
    /** False for an active task still waiting for its dependencies (not counted in $ActiveTasks). */
    private readonly isReady: (job: JobRecord, task: TaskRecord) => boolean,
  ) {}

  /**
   * Starts sampling the pool with a first sample now; a pool already sampled gets an extra sample
   * now, so a formula enabled again sees the pool as it is (the 30-second cadence goes on).
   */
  start(record: PoolRecord): void {
    if (this.timers.has(record)) {
      this.sample(record);
      return;
    }
    this.histories.set(record, new Map());
    const tick = (): void => {
      this.timers.set(record, this.ctx.clock.setTimer(SAMPLE_PERIOD_MS, tick));
      try {
        this.sample(record);
      } catch (error) {
        log.warn(`could not sample pool ${record.pool.id}: ${(error as Error).message}`);
      }
    };
    tick();
  }

  stop(record: PoolRecord): void {
    for (const node of record.nodes.values()) if (node.containerId) this.lastCounters.delete(node.containerId);
    this.timers.get(record)?.cancel();
    this.timers.delete(record);
    this.histories.delete(record);
  }

  stopAll(): void {
    for (const record of [...this.timers.keys()]) this.stop(record);
  }

  /** Each metric's history, oldest first. */
  samples(record: PoolRecord): Partial<Record<SampledMetricName, readonly MetricSample[]>> {
    return Object.fromEntries(this.histories.get(record) ?? []);
  }

  private sample(record: PoolRecord): void {
    const time = this.ctx.clock.now();
    const tasks = this.taskMetrics(record);
    const nodes = [...record.nodes.values()];
    this.record(record, time, {
      $ActiveTasks: tasks.active,
      $RunningTasks: tasks.running,
      $PendingTasks: tasks.active + tasks.running,
      $SucceededTasks: tasks.succeeded,
      $FailedTasks: tasks.failed,
      $SampleNodeCount: nodes.length,
      $PreemptedNodeCount: nodes.filter((node) => (node.node.state as string) === "preempted").length,
      $WallClockSeconds: (nodes.length * SAMPLE_PERIOD_MS) / 1000,
    });
    if (this.ctx.runtime.nodeStats) this.ctx.background.track(`sampling pool ${record.pool.id}`, this.sampleNodes(record, time));
  }

  /** The tasks of the pool's jobs: active (ready to run; a multi-instance task counts its instances), running, and completed ones. */
  private taskMetrics(record: PoolRecord): { active: number; running: number; succeeded: number; failed: number } {
    const metrics = { active: 0, running: 0, succeeded: 0, failed: 0 };
    const poolKey = idKey(record.pool.id);
    for (const job of this.ctx.state.jobs.values()) {
      const poolId = jobPoolId(job.job);
      if (!poolId || idKey(poolId) !== poolKey) continue;
      const index = taskIndexOf(job);
      const { taskCounts } = index.counts();
      metrics.running += taskCounts.running;
      metrics.succeeded += taskCounts.succeeded;
      metrics.failed += taskCounts.failed;
      if (job.job.state !== "active") continue;
      for (const task of index.inState("active")) {
        if (this.isReady(job, task)) metrics.active += task.task.multiInstanceSettings?.numberOfInstances ?? 1;
      }
    }
    return metrics;
  }

  private async sampleNodes(record: PoolRecord, time: number): Promise<void> {
    const readings = await Promise.all(
      [...record.nodes.values()].map(async (node) => {
        if (!node.containerId || node.node.state === "creating") return undefined;
        const stats = await this.ctx.runtime.nodeStats!(node.containerId).catch((error: unknown) => {
          log.debug(`no stats for node ${node.node.id}: ${(error as Error).message}`);
          return undefined;
        });
        return stats ? { containerId: node.containerId, stats } : undefined;
      }),
    );
    const reported = readings.filter((reading) => reading !== undefined);
    if (!this.histories.has(record) || reported.length === 0) return;
    const values: Partial<Record<SampledMetricName, number>> = {};
    const average = (pick: (stats: NodeStats) => number | undefined): number | undefined => {
      const known = reported.map((reading) => pick(reading.stats)).filter((value) => value !== undefined);
      return known.length > 0 ? known.reduce((sum, value) => sum + value, 0) / known.length : undefined;
    };
    values.$CPUPercent = average((stats) => stats.cpuPercent);
    values.$MemoryBytes = average((stats) => stats.memoryBytes);
    for (const [counter, metric] of Object.entries(COUNTERS) as [Counter, SampledMetricName][]) {
      let total: number | undefined;
      for (const { containerId, stats } of reported) {
        const now = stats[counter];
        const before = this.lastCounters.get(containerId)?.[counter];
        if (now !== undefined && before !== undefined) total = (total ?? 0) + Math.max(0, now - before);
      }
      values[metric] = total;
    }
    for (const { containerId, stats } of reported) this.lastCounters.set(containerId, stats);
    this.record(record, time, values);
  }

  private record(record: PoolRecord, time: number, values: Partial<Record<SampledMetricName, number | undefined>>): void {
    const history = this.histories.get(record);
    if (!history) return;
    for (const [name, value] of Object.entries(values) as [SampledMetricName, number | undefined][]) {
      if (value === undefined) continue;
      const samples = history.get(name) ?? [];
      samples.push({ time, value });
      if (samples.length > MAX_SAMPLES) samples.splice(0, samples.length - MAX_SAMPLES);
      history.set(name, samples);
    }
  }
}
