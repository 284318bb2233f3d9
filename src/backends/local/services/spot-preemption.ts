import { createLogger } from "../../../core/logger.js";
import type { Timer } from "../state/clock.js";
import type { LocalContext } from "./local-context.js";
import type { NodeHealth } from "./node-health.js";

const log = createLogger("malachite:spot");

/** How often, on the backend's clock, each Spot node runs its chance of eviction. */
export const PREEMPTION_CHECK_INTERVAL_MS = 60_000;

/** Random evictions of Spot/low-priority nodes (config `local.spotPreemptionRatePerHour`, `local.spotPreemptionSeed`). */
export interface SpotPreemptionSettings {
  /** Expected evictions per Spot node per hour of the backend's clock; 0 turns them off. */
  ratePerHour: number;
  /** The same seed evicts the same nodes at the same times, given the same pools and clock. */
  seed: number;
}

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Evicts Spot/low-priority nodes at random, as Azure reclaims Spot capacity: every check interval
 * each Spot node that is up (`idle` or `running`) is preempted with the probability that an
 * eviction rate of `ratePerHour` gives the interval (a Poisson process). A preempted node goes
 * through NodeHealth.preempted, as the `preemptNode` fault does: its tasks requeued, the node
 * back later. Dedicated nodes are never preempted.
 */
export class SpotPreemption {
  private timer?: Timer;
  private readonly random: () => number;
  private readonly chance: number;

  constructor(
    private readonly ctx: LocalContext,
    private readonly health: NodeHealth,
    private readonly settings: SpotPreemptionSettings,
  ) {
    this.random = seededRandom(settings.seed);
    this.chance = 1 - Math.exp((-settings.ratePerHour * PREEMPTION_CHECK_INTERVAL_MS) / 3_600_000);
  }

  start(): void {
    if (this.settings.ratePerHour <= 0 || this.timer) return;
    this.arm();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private arm(): void {
    this.timer = this.ctx.clock.setTimer(PREEMPTION_CHECK_INTERVAL_MS, () => {
      this.evict();
      if (this.timer) this.arm();
    });
  }

  private evict(): void {
    for (const pool of this.ctx.state.pools.values()) {
      if (pool.pool.state !== "active") continue;
      for (const node of pool.nodes.values()) {
        const up = node.node.state === "idle" || node.node.state === "running";
        if (node.node.isDedicated !== false || node.leaving || !up || node.containerId === undefined) continue;
        if (this.random() >= this.chance) continue;
        log.info(`preempting Spot node ${node.node.id} of pool ${pool.pool.id} (random eviction)`);
        this.health.preempted(pool, node);
      }
    }
  }
}
