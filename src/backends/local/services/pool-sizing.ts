import { BatchErrors } from "../../../core/batch-errors.js";
import { optionalDurationMs } from "../../../core/validation/durations.js";
import type { ResizeError } from "../../../core/models/index.js";
import type { Timer } from "../state/clock.js";
import { runningAttempts, type NodeRecord, type PoolRecord } from "../state/records.js";
import type { LocalContext } from "./local-context.js";
import type { NodeProvisioner } from "./node-provisioner.js";
import { filesRemovalTime } from "./task-retention.js";

export type NodeDeallocationOption = "requeue" | "terminate" | "taskcompletion" | "retaineddata";

export interface PoolTargets {
  targetDedicatedNodes: number;
  targetLowPriorityNodes: number;
  /** Kept on the pool as `resizeTimeout` when given. */
  resizeTimeout?: string;
  nodeDeallocationOption?: NodeDeallocationOption;
}

/** The service's resize errors (Microsoft.Azure.Batch.Common.PoolResizeErrorCodes). */
const ALLOCATION_TIMED_OUT = "AllocationTimedout";
const RESIZE_STOPPED = "ResizeStopped";

/** Which kind of node: dedicated, or Spot/low-priority. */
function kindOf(node: NodeRecord): "dedicated" | "lowPriority" {
  return node.node.isDedicated === false ? "lowPriority" : "dedicated";
}

/** The nodes that stay in the pool (not being removed), by kind. */
function stayingNodes(record: PoolRecord): { dedicated: NodeRecord[]; lowPriority: NodeRecord[] } {
  const nodes = { dedicated: [] as NodeRecord[], lowPriority: [] as NodeRecord[] };
  for (const node of record.nodes.values()) if (!node.leaving) nodes[kindOf(node)].push(node);
  return nodes;
}

/** Nodes that can run tasks; the others (not up yet, preempted, unusable, ...) are the first to go. */
const USABLE = new Set(["idle", "running"]);

/** The order nodes leave a shrinking pool: those that cannot run tasks, then those running the fewest. */
function byIdleness(nodes: NodeRecord[]): NodeRecord[] {
  const usable = (node: NodeRecord) => (USABLE.has(node.node.state) ? 1 : 0);
  return [...nodes].sort((a, b) => usable(a) - usable(b) || a.running.size - b.running.size);
}

function resizeError(code: string, kinds: string): ResizeError {
  const reason = code === RESIZE_STOPPED ? "due to a stop resize operation" : "as the resize timeout was reached";
  return { code, message: `Desired number of ${kinds} nodes could not be allocated ${reason}` };
}

/**
 * Every change of a pool's size: Pool_Add's first allocation, Pool_Resize once its checks passed,
 * autoscale results, Pool_RemoveNodes and Pool_StopResize. Dedicated and Spot/low-priority nodes
 * are sized separately; the pool is `resizing` until both kinds match their targets, then
 * `steady` (node-provisioner.ts settles it). A growth not done within `resizeTimeout` on the
 * backend's clock ends with `resizeErrors` `AllocationTimedout`: the nodes whose container is not
 * up yet are given up and the pool is steady at what it has, its targets left as asked, as on
 * the service.
 */
export class PoolSizing {
  /** The resize timeout of the current growth of each pool. */
  private readonly timeouts = new Map<PoolRecord, Timer>();
  /** Aborted when the backend shuts down. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly ctx: LocalContext,
    private readonly provisioner: NodeProvisioner,
  ) {}

  /**
   * Moves the pool towards the targets (allocationState resizing → steady), as Pool_Resize does
   * once its checks passed. A pool whose resize is being stopped is `PoolNotSteady`.
   */
  setTargets(record: PoolRecord, targets: PoolTargets): void {
    if (record.pool.allocationState === "stopping") throw BatchErrors.poolNotSteady(record.pool.id);
    this.cancelTimeout(record);
    const fields = {
      targetDedicatedNodes: targets.targetDedicatedNodes,
      targetLowPriorityNodes: targets.targetLowPriorityNodes,
      resizeErrors: undefined,
      ...(targets.resizeTimeout ? { resizeTimeout: targets.resizeTimeout } : {}),
    };
    const staying = stayingNodes(record);
    const change = {
      dedicated: targets.targetDedicatedNodes - staying.dedicated.length,
      lowPriority: targets.targetLowPriorityNodes - staying.lowPriority.length,
    };
    const leaving = [...record.nodes.values()].some((node) => node.leaving);
    if (change.dedicated === 0 && change.lowPriority === 0 && !leaving && record.pool.allocationState === "steady") {
      this.ctx.states.pool.update(record, fields);
      return;
    }
    this.ctx.states.pool.allocate(record, "resizing", fields);
    const option = targets.nodeDeallocationOption ?? "requeue";
    const removed: NodeRecord[] = [];
    for (const kind of ["dedicated", "lowPriority"] as const) {
      if (change[kind] > 0) void this.provisioner.grow(record, change[kind], kind === "dedicated");
      else if (change[kind] < 0) removed.push(...byIdleness(staying[kind]).slice(0, -change[kind]));
    }
    if (removed.length > 0) this.ctx.background.track(`shrinking pool ${record.pool.id}`, this.release(record, removed, option));
    if (change.dedicated > 0 || change.lowPriority > 0) this.armTimeout(record);
    this.provisioner.settleAllocation(record);
  }

  /** Pool_RemoveNodes once its checks passed: these nodes leave, and the targets drop by as many of each kind. */
  removeNodes(record: PoolRecord, nodes: NodeRecord[], option: NodeDeallocationOption = "requeue", resizeTimeout?: string): void {
    const leaving = nodes.filter((node) => !node.leaving);
    const dedicated = leaving.filter((node) => kindOf(node) === "dedicated").length;
    this.ctx.states.pool.allocate(record, "resizing", {
      targetDedicatedNodes: Math.max(0, record.pool.targetDedicatedNodes - dedicated),
      targetLowPriorityNodes: Math.max(0, record.pool.targetLowPriorityNodes - (leaving.length - dedicated)),
      resizeErrors: undefined,
      ...(resizeTimeout ? { resizeTimeout } : {}),
    });
    for (const node of leaving) node.leaving = true;
    this.ctx.background.track(`removing nodes from pool ${record.pool.id}`, this.release(record, leaving, option));
    this.provisioner.settleAllocation(record);
  }

  /**
   * Pool_StopResize: `stopping`, then `steady` at the nodes the pool has. Nodes whose container is
   * not up yet are given up; nodes already leaving finish leaving. The targets become what stays,
   * and `resizeErrors` say the resize was stopped. A pool that is not resizing has nothing to stop.
   */
  stopResize(record: PoolRecord): void {
    if (record.pool.allocationState !== "resizing") return;
    this.cancelTimeout(record);
    const staying = stayingNodes(record);
    const abandoned = [...staying.dedicated, ...staying.lowPriority].filter((node) => node.node.state === "creating");
    const kinds = [
      ...(record.pool.targetDedicatedNodes !== staying.dedicated.length ? ["dedicated"] : []),
      ...(record.pool.targetLowPriorityNodes !== staying.lowPriority.length ? ["low-priority"] : []),
    ];
    for (const node of abandoned) node.leaving = true;
    this.ctx.states.pool.allocate(record, "stopping", {
      targetDedicatedNodes: staying.dedicated.filter((node) => !node.leaving).length,
      targetLowPriorityNodes: staying.lowPriority.filter((node) => !node.leaving).length,
      resizeErrors: [resizeError(RESIZE_STOPPED, kinds.join(" and ") || "dedicated")],
    });
    if (abandoned.length > 0) this.ctx.background.track(`stopping the resize of pool ${record.pool.id}`, this.release(record, abandoned, "requeue"));
    this.provisioner.settleAllocation(record);
  }

  /** Pool_Delete: every node leaves, running tasks requeued. */
  releaseAll(record: PoolRecord): Promise<void> {
    this.cancelTimeout(record);
    return this.release(record, [...record.nodes.values()], "requeue");
  }

  /** Stops what runs on the nodes as `option` says, then removes them. */
  private async release(record: PoolRecord, nodes: NodeRecord[], option: NodeDeallocationOption): Promise<void> {
    await Promise.all(
      nodes.map(async (node) => {
        node.leaving = true;
        // The node is leaving from now on, as the service shows it, whatever it still waits for.
        if (node.node.state !== "leavingpool") this.ctx.states.node.transition(node, "leavingpool");
        // taskcompletion and retaineddata let running tasks finish; requeue and terminate stop them.
        if (option === "requeue" || option === "terminate") {
          for (const task of node.running.values()) task.abort?.abort(option);
        }
        // Tasks that run on: wait for them. Nothing new starts on a leaving node.
        while (node.running.size > 0) await Promise.all(runningAttempts(node.running.values()));
        if (option === "retaineddata") await this.retainedDataExpired(record, node);
        // Shutting down meanwhile: the node stays leaving, and a restart finishes its removal.
        if (!this.stopping.signal.aborted) await this.provisioner.remove(record, node);
      }),
    );
    this.ctx.requestScheduling();
  }

  /** The backend shuts down: nodes waiting out their tasks' retention stop waiting. */
  stopAll(): void {
    for (const timer of this.timeouts.values()) timer.cancel();
    this.timeouts.clear();
    this.stopping.abort();
  }

  /**
   * `retaineddata`: the node stays until the retention time (`constraints.retentionTime`) of
   * every task that ran there has passed, on the backend's clock.
   */
  private async retainedDataExpired(record: PoolRecord, node: NodeRecord): Promise<void> {
    for (;;) {
      const due = this.lastRetention(record, node);
      const left = due === undefined ? 0 : due - this.ctx.clock.now();
      if (left <= 0 || this.stopping.signal.aborted) return;
      await new Promise<void>((resolve) => {
        const timer = this.ctx.clock.setTimer(left, resolve);
        this.stopping.signal.addEventListener("abort", () => (timer.cancel(), resolve()), { once: true });
      });
    }
  }

  /** When the files of the last task that ran on the node may go; undefined when none wait. */
  private lastRetention(record: PoolRecord, node: NodeRecord): number | undefined {
    let last: number | undefined;
    for (const job of this.ctx.state.jobs.values()) {
      if (job.job.state === "deleting") continue;
      for (const task of job.tasks.values()) {
        const ranHere = task.task.nodeInfo?.nodeId === node.node.id && task.task.nodeInfo.poolId === record.pool.id;
        const due = ranHere ? filesRemovalTime(task.task) : undefined;
        if (due !== undefined && (last === undefined || due > last)) last = due;
      }
    }
    return last;
  }

  /**
   * After a restart of Malachite: a growth still under way keeps its `resizeTimeout`, counted
   * from when the pool started resizing, not from the restart.
   */
  recover(): void {
    for (const record of this.ctx.state.pools.values()) {
      if (record.pool.state !== "active" || record.pool.allocationState !== "resizing") continue;
      const began = Date.parse(record.pool.allocationStateTransitionTime ?? "");
      this.armTimeout(record, Number.isNaN(began) ? 0 : this.ctx.clock.now() - began);
    }
  }

  private armTimeout(record: PoolRecord, elapsedMs = 0): void {
    const ms = optionalDurationMs("resizeTimeout", record.pool.resizeTimeout);
    if (ms === undefined) return;
    const timer = this.ctx.clock.setTimer(Math.max(0, ms - elapsedMs), () => {
      if (this.timeouts.get(record) !== timer) return;
      this.timeouts.delete(record);
      this.timedOut(record);
    });
    this.timeouts.set(record, timer);
  }

  private cancelTimeout(record: PoolRecord): void {
    this.timeouts.get(record)?.cancel();
    this.timeouts.delete(record);
  }

  /** The growth did not finish in time: nodes not up yet are given up, the pool is steady at what it has. */
  private timedOut(record: PoolRecord): void {
    if (record.pool.state !== "active" || record.pool.allocationState !== "resizing") return;
    const late = [...record.nodes.values()].filter((node) => !node.leaving && node.node.state === "creating");
    if (late.length === 0) return;
    const kinds = [...new Set(late.map((node) => (kindOf(node) === "dedicated" ? "dedicated" : "low-priority")))].join(" and ");
    for (const node of late) node.leaving = true;
    this.ctx.states.pool.allocate(record, "steady", { resizeErrors: [resizeError(ALLOCATION_TIMED_OUT, kinds)] });
    this.ctx.background.track(`giving up the late nodes of pool ${record.pool.id}`, this.release(record, late, "requeue"));
  }
}
