import { BatchErrors } from "../../../core/batch-errors.js";
import type { FaultInjector, FaultRequest } from "../../../core/faults.js";
import type { LocalContext } from "./local-context.js";
import type { NodeHealth } from "./node-health.js";

/**
 * Faults on demand, which the real service can only produce by bad luck: each is reported on the
 * entities exactly as the service reports the real event. Killing a node kills its container, and
 * Malachite notices as it notices any dead node; preempting a Spot/low-priority node moves it to
 * `preempted` and requeues its tasks, as a Spot eviction does (dedicated nodes are never preempted); the rest take effect on the next start task,
 * download or task start they concern.
 */
export class FaultInjection implements FaultInjector {
  constructor(
    private readonly ctx: LocalContext,
    private readonly health: NodeHealth,
  ) {}

  async inject(fault: FaultRequest): Promise<void> {
    switch (fault.type) {
      case "killNode":
        return this.killNode(fault.poolId, fault.nodeId);
      case "preemptNode":
        return this.preemptNode(fault.poolId, fault.nodeId);
      case "failStartTask":
        this.ctx.state.poolRecord(fault.poolId);
        this.ctx.faults.failStartTasks(fault.poolId, fault.count ?? 1);
        return;
      case "failResourceFiles":
        this.ctx.state.taskRecord(fault.jobId, fault.taskId);
        this.ctx.faults.failResourceFiles(fault.jobId, fault.taskId);
        return;
      case "slowNode":
        this.ctx.state.nodeRecord(fault.poolId, fault.nodeId);
        this.ctx.faults.slowNode(fault.poolId, fault.nodeId, fault.delayMs);
        return;
    }
  }

  private async killNode(poolId: string, nodeId: string): Promise<void> {
    const node = this.ctx.state.nodeRecord(poolId, nodeId);
    if (!node.containerId) throw BatchErrors.nodeNotRunning(nodeId);
    await this.ctx.runtime.killNode(node.containerId);
  }

  private async preemptNode(poolId: string, nodeId: string): Promise<void> {
    const pool = this.ctx.state.poolRecord(poolId);
    const node = this.ctx.state.nodeRecord(poolId, nodeId);
    // The service preempts Spot/low-priority nodes only: a dedicated node is never taken back.
    if (node.node.isDedicated !== false) throw BatchErrors.nodeNotPreemptible(nodeId);
    if (node.node.state !== "idle" && node.node.state !== "running") throw BatchErrors.nodeNotRunning(nodeId);
    this.health.preempted(pool, node);
  }
}
