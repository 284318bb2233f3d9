import type { PoolRecord } from "../state/records.js";
import { runningAttempts, type NodeRecord } from "../state/records.js";
import type { LocalContext } from "./local-context.js";
import type { NodeProvisioner } from "./node-provisioner.js";

export type NodeDeallocationOption = "requeue" | "terminate" | "taskcompletion" | "retaineddata";

export interface PoolTargets {
  targetDedicatedNodes: number;
  targetLowPriorityNodes: number;
  /** Kept on the pool as `resizeTimeout` when given. */
  resizeTimeout?: string;
  nodeDeallocationOption?: NodeDeallocationOption;
}

/**
 * Every change of a pool's size goes through here (Pool_Resize after its checks, autoscale
 * results). This version has dedicated nodes only: the low-priority target is kept at 0.
 */
export class PoolSizing {
  constructor(
    private readonly ctx: LocalContext,
    private readonly provisioner: NodeProvisioner,
  ) {}

  /** Moves the pool towards the targets (allocationState resizing → steady), as Pool_Resize does once its checks passed. */
  setTargets(record: PoolRecord, targets: PoolTargets): void {
    const target = targets.targetDedicatedNodes;
    const fields = { targetDedicatedNodes: target, ...(targets.resizeTimeout ? { resizeTimeout: targets.resizeTimeout } : {}) };
    // Nodes already on their way out do not count: a new target may come while a resize is under way.
    const staying = [...record.nodes.values()].filter((node) => !node.leaving);
    if (target === staying.length) {
      this.ctx.states.pool.update(record, fields);
      return;
    }
    this.ctx.states.pool.allocate(record, "resizing", fields);
    if (target > staying.length) {
      void this.provisioner.grow(record, target - staying.length);
      return;
    }
    const byIdleness = staying.sort((a, b) => a.running.size - b.running.size);
    const leaving = byIdleness.slice(0, staying.length - target);
    this.ctx.background.track(`shrinking pool ${record.pool.id}`, this.removeNodes(record, leaving, targets.nodeDeallocationOption ?? "requeue"));
  }

  /** Stops what runs on the nodes as the option says, then removes them. */
  private async removeNodes(record: PoolRecord, nodes: NodeRecord[], option: NodeDeallocationOption): Promise<void> {
    await Promise.all(
      nodes.map(async (node) => {
        node.leaving = true;
        // taskcompletion and retaineddata let running tasks finish; requeue and terminate stop them.
        if (option === "requeue" || option === "terminate") {
          for (const task of node.running.values()) task.abort?.abort(option);
        }
        while (node.running.size > 0) await Promise.all(runningAttempts(node.running.values()));
        await this.provisioner.remove(record, node);
      }),
    );
    this.ctx.requestScheduling();
  }
}
