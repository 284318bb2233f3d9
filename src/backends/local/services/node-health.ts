import { setTimeout as delay } from "node:timers/promises";
import { createLogger } from "../../../core/logger.js";
import type { Clock } from "../state/clock.js";
import type { NodeRecord, PoolRecord } from "../state/records.js";
import type { LocalContext } from "./local-context.js";
import type { NodeProvisioner } from "./node-provisioner.js";

const log = createLogger("malachite:health");

/** How long a task killed by a signal waits for its node's container to be seen exiting, before it counts as the task's own failure. */
const SIGNAL_DEATH_GRACE_MS = 2_000;

/** How long a lost node stays `unusable` before Malachite brings it back on a new container. */
export const NODE_RECOVERY_DELAY_MS = 10_000;

/** Why a node was lost, as its `errors` report it. */
export interface NodeLoss {
  code: string;
  message: string;
}

/**
 * Notices nodes whose container stopped without Malachite asking (killed, crashed, the engine
 * restarted), as the service notices a VM that stops answering: the node becomes `unusable` with
 * the reason in `errors`, the tasks that were running there are requeued (not failed), nothing is
 * scheduled on it, and after a while it is brought back on a new container (`rebooting` →
 * `starting` → start task → `idle`) so the pool returns to its target.
 */
export class NodeHealth {
  constructor(
    private readonly ctx: LocalContext,
    private readonly provisioner: NodeProvisioner,
    private readonly recoveryDelayMs = NODE_RECOVERY_DELAY_MS,
  ) {}

  /** Watches a node's container from the moment it runs; `lost` when it stops by itself. */
  watch(pool: PoolRecord, record: NodeRecord, containerId: string): void {
    this.ctx.runtime.waitForNodeExit(containerId).then(
      (exit) =>
        this.lost(pool, record, containerId, {
          code: "NodeUnreachable",
          message: `The compute node stopped unexpectedly: its container exited${exit.exitCode === undefined ? "" : ` with code ${exit.exitCode}`}.`,
        }),
      (error: unknown) => log.warn(`cannot watch node ${record.node.id}: ${(error as Error).message}`),
    );
  }

  /** After a task attempt failed on the node: was it the node? */
  async isReachable(record: NodeRecord, exitCode?: number): Promise<boolean> {
    const containerId = record.containerId;
    if (!containerId) return false;
    if (exitCode !== undefined && exitCode > 128 && (await this.exitsWithin(containerId, SIGNAL_DEATH_GRACE_MS))) return false;
    return this.ctx.runtime.isNodeRunning(containerId).catch(() => false);
  }

  /**
   * Whether the container exits within `ms` (real time: it is the engine catching up, not Batch
   * time). A task killed by a signal may be the first sign that its node died: its processes die
   * with the container's, and the engine marks the container exited a moment later.
   */
  private async exitsWithin(containerId: string, ms: number): Promise<boolean> {
    const grace = new AbortController();
    const exited = this.ctx.runtime.waitForNodeExit(containerId).then(
      () => true,
      () => true,
    );
    const timedOut = delay(ms, false, { signal: grace.signal, ref: false }).catch(() => false);
    try {
      return await Promise.race([exited, timedOut]);
    } finally {
      grace.abort();
    }
  }

  /** The node's container is gone: unusable now, its running tasks requeued, back after a while. */
  lost(pool: PoolRecord, record: NodeRecord, containerId: string | undefined, loss: NodeLoss): void {
    if (record.leaving || record.containerId === undefined || (containerId !== undefined && record.containerId !== containerId)) return;
    const deadContainer = record.containerId;
    record.containerId = undefined;
    log.warn(`node ${record.node.id} of pool ${pool.pool.id} is unusable: ${loss.message}`);
    this.provisioner.abortStartTask(record);
    this.ctx.states.node.transition(record, "unusable", { errors: [{ code: loss.code, message: loss.message }] });
    for (const task of record.running.values()) task.abort?.abort("requeue");
    this.ctx.background.track(`removing the stopped container of node ${record.node.id}`, this.ctx.runtime.removeNode(deadContainer));
    this.scheduleRecovery(pool, record, this.ctx.clock);
  }

  /**
   * A Spot/low-priority eviction: the node is `preempted`, its running tasks are requeued, its
   * container goes; it comes back (`starting`) after a while, as capacity returns.
   */
  preempted(pool: PoolRecord, record: NodeRecord): void {
    const container = record.containerId;
    record.containerId = undefined;
    this.provisioner.abortStartTask(record);
    this.ctx.states.node.transition(record, "preempted");
    for (const task of record.running.values()) task.abort?.abort("requeue");
    if (container) this.ctx.background.track(`removing the container of preempted node ${record.node.id}`, this.ctx.runtime.removeNode(container));
    this.scheduleRecovery(pool, record, this.ctx.clock);
  }

  private scheduleRecovery(pool: PoolRecord, record: NodeRecord, clock: Clock): void {
    clock.setTimer(this.recoveryDelayMs, () => {
      const stillOurs = pool.nodes.get(record.node.id) === record && pool.pool.state === "active";
      if (!stillOurs || record.leaving || (record.node.state !== "unusable" && record.node.state !== "preempted")) return;
      this.provisioner.restart(pool, record);
    });
  }
}
