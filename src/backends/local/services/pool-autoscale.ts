import { checkAccessConditions, type ConditionalOptions } from "../../../core/access-conditions.js";
import {
  AutoScaleErrors,
  compileFormula,
  DEFAULT_EVALUATION_INTERVAL,
  evaluateAutoScale,
  evaluateAutoScaleText,
  evaluationIntervalMs,
  type AutoScaleEvaluation,
  type AutoScaleInput,
  type Statement,
} from "../../../core/autoscale/index.js";
import { BatchErrors } from "../../../core/batch-errors.js";
import { createLogger } from "../../../core/logger.js";
import type { AutoScaleRun, PoolEnableAutoScaleParameter } from "../../../core/models/index.js";
import { isoNow, type Timer } from "../state/clock.js";
import type { PoolRecord } from "../state/records.js";
import type { LocalContext } from "./local-context.js";
import type { PoolMetrics } from "./pool-metrics.js";
import type { PoolSizing } from "./pool-sizing.js";

const log = createLogger("malachite:autoscale");

/**
 * The most nodes a formula's target applies (what Pool_Resize accepts): the service caps what a
 * formula asks by the account's quota; the local backend, whose nodes are containers on one host,
 * has no quota but does not start more than this.
 */
const MAX_TARGET_NODES = 2000;

/**
 * Autoscale pools ("Create a formula to automatically scale compute nodes in a Batch pool"): the
 * formula runs when autoscale is enabled (at the pool's creation or by Pool_EnableAutoScale) and
 * then every `autoScaleEvaluationInterval` on the backend's clock; each run is reported as the
 * pool's `autoScaleRun` and its targets go through PoolSizing. The settings live on the pool, so
 * they are journaled; after a restart the schedule resumes from the last run's time.
 */
export class PoolAutoScale {
  private readonly timers = new Map<PoolRecord, Timer>();

  constructor(
    private readonly ctx: LocalContext,
    private readonly sizing: PoolSizing,
    private readonly metrics: PoolMetrics,
  ) {}

  /** A pool created with `enableAutoScale`: its first run now, then every interval. */
  started(record: PoolRecord, statements: Statement[]): void {
    this.metrics.start(record);
    this.runAndApply(record, statements);
    this.arm(record, evaluationIntervalMs(record.pool.autoScaleEvaluationInterval ?? DEFAULT_EVALUATION_INTERVAL));
  }

  enable(poolId: string, parameter: PoolEnableAutoScaleParameter, options?: ConditionalOptions): void {
    const record = this.ctx.state.poolRecord(poolId);
    checkAccessConditions(record.pool, options?.conditions, "write");
    if (record.pool.state === "deleting") throw BatchErrors.poolBeingDeleted(poolId);
    const { autoScaleFormula, autoScaleEvaluationInterval } = parameter;
    const enabled = record.pool.enableAutoScale;
    // Turning autoscale on needs a formula; changing it needs at least one of the two settings.
    if (autoScaleFormula === undefined && (!enabled || autoScaleEvaluationInterval === undefined)) throw BatchErrors.missingProperty("autoScaleFormula");
    const interval = autoScaleEvaluationInterval ?? record.pool.autoScaleEvaluationInterval ?? DEFAULT_EVALUATION_INTERVAL;
    const intervalMs = evaluationIntervalMs(interval);
    const formula = autoScaleFormula ?? record.pool.autoScaleFormula!;
    const statements = compileFormula(formula);
    this.ctx.states.pool.update(record, { enableAutoScale: true, autoScaleFormula: formula, autoScaleEvaluationInterval: interval });
    this.metrics.start(record);
    this.runAndApply(record, statements);
    // A new interval starts a new schedule from now; a new formula alone keeps the schedule.
    if (!enabled || autoScaleEvaluationInterval !== undefined || !this.timers.has(record)) this.arm(record, intervalMs);
  }

  disable(poolId: string): void {
    const record = this.ctx.state.poolRecord(poolId);
    if (record.pool.state === "deleting") throw BatchErrors.poolBeingDeleted(poolId);
    this.stop(record);
    this.ctx.states.pool.update(record, {
      enableAutoScale: false,
      autoScaleFormula: undefined,
      autoScaleEvaluationInterval: undefined,
      autoScaleRun: undefined,
    });
  }

  /** Runs a formula against the pool as it is now, without applying it; a syntax error is the run's error. */
  evaluate(poolId: string, autoScaleFormula: string): AutoScaleRun {
    const record = this.ctx.state.poolRecord(poolId);
    if (!record.pool.enableAutoScale) {
      throw AutoScaleErrors.notValidOnPool(poolId, "Autoscale is not enabled on the pool: enable it before evaluating a formula.");
    }
    return this.runOf(this.run(record, (input) => evaluateAutoScaleText(autoScaleFormula, input)));
  }

  /** The samples taken of the pool for its formula (none without autoscale), for its statistics. */
  samples(record: PoolRecord): ReturnType<PoolMetrics["samples"]> {
    return this.metrics.samples(record);
  }

  /** The pool is being deleted or the backend stops: no more runs or samples. */
  stop(record: PoolRecord): void {
    this.timers.get(record)?.cancel();
    this.timers.delete(record);
    this.metrics.stop(record);
  }

  stopAll(): void {
    for (const record of [...this.timers.keys()]) this.stop(record);
    this.metrics.stopAll();
  }

  /** After a restart: autoscale pools sample again and run when their interval since the last run has passed. */
  recover(): void {
    for (const record of this.ctx.state.pools.values()) {
      const pool = record.pool;
      if (!pool.enableAutoScale || pool.state === "deleting") continue;
      const intervalMs = evaluationIntervalMs(pool.autoScaleEvaluationInterval ?? DEFAULT_EVALUATION_INTERVAL);
      const last = pool.autoScaleRun ? Date.parse(pool.autoScaleRun.timestamp) : Number.NEGATIVE_INFINITY;
      this.metrics.start(record);
      this.arm(record, Math.max(0, Math.min(intervalMs, last + intervalMs - this.ctx.clock.now())), intervalMs);
    }
  }

  /** The next run after `delayMs`, then one every `intervalMs`. */
  private arm(record: PoolRecord, delayMs: number, intervalMs = delayMs): void {
    this.timers.get(record)?.cancel();
    this.timers.set(
      record,
      this.ctx.clock.setTimer(delayMs, () => {
        if (!record.pool.enableAutoScale || record.pool.state === "deleting" || !record.pool.autoScaleFormula) return;
        this.arm(record, intervalMs);
        try {
          this.runAndApply(record, compileFormula(record.pool.autoScaleFormula));
        } catch (error) {
          // A run must not take the backend down; the next interval tries again.
          log.warn(`autoscale run of pool ${record.pool.id} failed: ${(error as Error).message}`);
        }
      }),
    );
  }

  private runAndApply(record: PoolRecord, statements: Statement[]): void {
    const evaluation = this.run(record, (input) => evaluateAutoScale(statements, input));
    this.ctx.states.pool.update(record, { autoScaleRun: this.runOf(evaluation) });
    if (!evaluation.targets) return;
    const { targetDedicatedNodes, targetLowPriorityNodes, nodeDeallocationOption } = evaluation.targets;
    this.sizing.setTargets(record, {
      targetDedicatedNodes: Math.min(targetDedicatedNodes, MAX_TARGET_NODES),
      targetLowPriorityNodes: Math.min(targetLowPriorityNodes, MAX_TARGET_NODES),
      nodeDeallocationOption,
    });
  }

  private run(record: PoolRecord, evaluate: (input: AutoScaleInput) => AutoScaleEvaluation): AutoScaleEvaluation & { timestamp: string } {
    const pool = record.pool;
    const usable = [...record.nodes.values()].filter((node) => node.node.state === "idle" || node.node.state === "running").length;
    const timestamp = isoNow(this.ctx.clock);
    const evaluation = evaluate({
      now: this.ctx.clock.now(),
      targetDedicatedNodes: pool.targetDedicatedNodes,
      targetLowPriorityNodes: pool.targetLowPriorityNodes,
      currentDedicatedNodes: pool.currentDedicatedNodes,
      currentLowPriorityNodes: pool.currentLowPriorityNodes,
      taskSlotsPerNode: pool.taskSlotsPerNode,
      usableNodeCount: usable,
      samples: this.metrics.samples(record),
    });
    return { ...evaluation, timestamp };
  }

  private runOf(evaluation: AutoScaleEvaluation & { timestamp: string }): AutoScaleRun {
    return {
      timestamp: evaluation.timestamp,
      results: evaluation.results,
      ...(evaluation.error ? { error: AutoScaleErrors.runError(evaluation.error) } : {}),
    };
  }
}
