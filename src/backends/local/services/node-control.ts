import type { ComputeNodeRebootOption, ComputeNodeState, DisableComputeNodeSchedulingOption } from "../../../core/models/index.js";
import { BatchErrors } from "../../../core/batch-errors.js";
import { optionalDurationMs } from "../../../core/validation/durations.js";
import { jobNodeKey } from "../state/job-node-state.js";
import type { NodeRecord, PendingNodeOperation, PoolRecord } from "../state/records.js";
import type { LocalContext } from "./local-context.js";
import type { NodeProvisioner } from "./node-provisioner.js";

/** REST: a node can be rebooted or reimaged "only if it is in an idle or running state"; `offline` is an idle node whose scheduling is disabled, and `starttaskfailed` and `unusable` nodes are rebooted to recover them. */
const RESTARTABLE: ReadonlySet<ComputeNodeState> = new Set(["idle", "running", "offline", "starttaskfailed", "unusable"]);
/** REST: "You can deallocate a Compute Node only if it is in an idle or running state" (`offline` is idle). */
const DEALLOCATABLE: ReadonlySet<ComputeNodeState> = new Set(["idle", "running", "offline"]);
/** REST `TaskConstraints.retentionTime`: "The default is 7 days". */
const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** What a reboot, reimage or deallocation becomes once its tasks are dealt with. */
type Stopping = PendingNodeOperation["operation"];

/**
 * The compute node operations that change a node (REST `Nodes_RebootNode`, `Nodes_ReimageNode`,
 * `Nodes_DeallocateNode`, `Nodes_StartNode`, `Nodes_DisableNodeScheduling`,
 * `Nodes_EnableNodeScheduling`). Running tasks are dealt with as the option says
 * (`ComputeNodeRebootOption`): `requeue` — ended and put back to `active` to run again (their
 * `requeueCount` counts it); `terminate` — ended, completing with the failure a terminated task
 * has; `taskcompletion` — left to complete, no new task scheduled on the node meanwhile;
 * `retaineddata` — as `taskcompletion`, then also until the retention time of every task that
 * ran there has passed. Then the node's container goes: a reboot brings it back on a new one
 * (`rebooting` → `starting` → start task → `idle`), its directory kept; a reimage wipes the
 * directory first (`reimaging`); a deallocation leaves it stopped (`deallocating` →
 * `deallocated`) until `start`.
 */
export class NodeControl {
  constructor(
    private readonly ctx: LocalContext,
    private readonly provisioner: NodeProvisioner,
  ) {}

  reboot(pool: PoolRecord, record: NodeRecord, option: ComputeNodeRebootOption = "requeue"): void {
    this.check(record, RESTARTABLE, "rebooted");
    this.provisioner.agentLog.write(record, `reboot requested (nodeRebootOption ${option})`);
    this.stopThen(pool, record, { operation: "rebooting", option });
  }

  reimage(pool: PoolRecord, record: NodeRecord, option: ComputeNodeRebootOption = "requeue"): void {
    this.check(record, RESTARTABLE, "reimaged");
    this.provisioner.agentLog.write(record, `reimage requested (nodeReimageOption ${option})`);
    this.stopThen(pool, record, { operation: "reimaging", option });
  }

  deallocate(pool: PoolRecord, record: NodeRecord, option: ComputeNodeRebootOption = "requeue"): void {
    this.check(record, DEALLOCATABLE, "deallocated");
    this.provisioner.agentLog.write(record, `deallocation requested (nodeDeallocateOption ${option})`);
    this.stopThen(pool, record, { operation: "deallocating", option });
  }

  /**
   * After a restart of Malachite: finishes the reboot, reimage or deallocation the node was asked
   * for. What ran on it was requeued by the restart, so there is nothing left to wait for but,
   * with `retaineddata`, the retention of the tasks that ran there.
   */
  resume(pool: PoolRecord, record: NodeRecord, pending: PendingNodeOperation): void {
    this.provisioner.agentLog.write(record, `${pending.operation.replace(/ing$/, "")} resumed after a restart of Malachite`);
    // A node already stopping had waited for what it had to before the restart.
    const waits = pending.option === "retaineddata" && record.node.state !== pending.operation;
    this.stopThen(pool, record, { operation: pending.operation, option: waits ? "retaineddata" : "requeue" });
  }

  /** What the node becomes once stopped: back on a new container, wiped first for a reimage, or left deallocated. */
  private async finish(pool: PoolRecord, record: NodeRecord, operation: Stopping): Promise<void> {
    if (operation === "deallocating") {
      if (record.node.state === "deallocating") this.ctx.states.node.transition(record, "deallocated");
      return;
    }
    if (operation === "reimaging") {
      await this.provisioner.wipeDirectory(record);
      this.forgetJobPreparations(record);
      // A reimage reinstalls the node: the users added to it are gone (a pool's userAccounts come back).
      this.ctx.states.node.setUsers(record, []);
    }
    this.bringBack(pool, record);
  }

  /** REST: "You can start a Compute Node only if it has been deallocated." It comes up as after a reboot. */
  start(pool: PoolRecord, record: NodeRecord): void {
    if (record.node.state !== "deallocated" || record.leaving) throw BatchErrors.nodeStateConflict(record.node.id, record.node.state, "started");
    this.provisioner.agentLog.write(record, "start requested");
    this.provisioner.restart(pool, record);
  }

  /**
   * No new task is scheduled on the node; an idle node is `offline` at once, a running one once
   * its tasks have ended (the scheduler honours `schedulingState`).
   */
  disableScheduling(record: NodeRecord, option: DisableComputeNodeSchedulingOption = "requeue"): void {
    const node = record.node;
    if (node.state === "leavingpool" || record.leaving) throw BatchErrors.nodeStateConflict(node.id, node.state, "changed");
    if (node.schedulingState === "disabled") throw BatchErrors.nodeAlreadyInTargetSchedulingState(node.id, "disabled");
    this.provisioner.agentLog.write(record, `scheduling disabled (nodeDisableSchedulingOption ${option})`);
    if (node.state === "idle") this.ctx.states.node.transition(record, "offline", { schedulingState: "disabled" });
    else this.ctx.states.node.update(record, { schedulingState: "disabled" });
    if (option !== "taskcompletion") for (const task of record.running.values()) task.abort?.abort(option);
  }

  enableScheduling(record: NodeRecord): void {
    const node = record.node;
    if (node.state === "leavingpool" || record.leaving) throw BatchErrors.nodeStateConflict(node.id, node.state, "changed");
    if (node.schedulingState === "enabled") throw BatchErrors.nodeAlreadyInTargetSchedulingState(node.id, "enabled");
    this.provisioner.agentLog.write(record, "scheduling enabled");
    if (node.state === "offline") this.ctx.states.node.transition(record, record.running.size > 0 ? "running" : "idle", { schedulingState: "enabled" });
    else this.ctx.states.node.update(record, { schedulingState: "enabled" });
    this.ctx.requestScheduling();
  }

  private check(record: NodeRecord, allowed: ReadonlySet<ComputeNodeState>, operation: string): void {
    const state = record.node.state;
    if (!allowed.has(state) || record.leaving || record.draining) throw BatchErrors.nodeStateConflict(record.node.id, state, operation);
  }

  /**
   * Deals with the node's running tasks as the option says, moves it to the stopping state,
   * removes its container, then finishes the operation, in the background. With `requeue` or
   * `terminate` the node is stopping at once; otherwise it stays as it is, taking no new task,
   * until its tasks are done. The operation is kept with the node until it is done.
   */
  private stopThen(pool: PoolRecord, record: NodeRecord, pending: PendingNodeOperation): void {
    const { operation: stopping, option } = pending;
    const states = this.ctx.states.node;
    // With nothing running, `taskcompletion` has nothing to wait for either.
    const immediate = option === "requeue" || option === "terminate" || (option === "taskcompletion" && record.running.size === 0);
    states.setPending(record, pending);
    if (immediate) {
      if (record.node.state !== stopping) states.transition(record, stopping);
      for (const task of record.running.values()) task.abort?.abort(option);
    } else record.draining = true;
    const work = (async () => {
      await this.tasksEnded(record);
      if (option === "retaineddata") await this.retentionPassed(record);
      if (!immediate) {
        record.draining = false;
        if (record.leaving || !RESTARTABLE.has(record.node.state)) return;
        states.transition(record, stopping);
      }
      if (record.leaving || record.node.state !== stopping) return;
      await this.provisioner.stopContainer(pool, record);
      if (!record.leaving) await this.finish(pool, record, stopping);
    })().finally(() => {
      if (record.pending === pending && !record.leaving) states.setPending(record, undefined);
    });
    this.ctx.background.track(`${stopping} node ${record.node.id} of pool ${pool.pool.id}`, work, (error) => {
      // The node cannot come back by itself (its directory could not be wiped, ...): unusable, saying why.
      if (!record.leaving && record.node.state === stopping)
        states.transition(record, "unusable", { errors: [{ code: "NodeStartFailed", message: error.message }] });
    });
  }

  /** Back on a new container, unless the node was removed meanwhile. */
  private bringBack(pool: PoolRecord, record: NodeRecord): void {
    if (!record.leaving && pool.nodes.get(record.node.id) === record) this.provisioner.restart(pool, record);
  }

  /** Resolves once no task runs on the node (or it is being removed). */
  private tasksEnded(record: NodeRecord): Promise<void> {
    const done = () => record.running.size === 0 || record.leaving;
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const stop = this.ctx.state.watch(() => {
        if (!done()) return;
        stop();
        resolve();
      });
    });
  }

  /** `retaineddata`: until the retention time of every completed task that ran on the node has passed. */
  private retentionPassed(record: NodeRecord): Promise<void> {
    let due = 0;
    for (const job of this.ctx.state.jobs.values()) {
      for (const task of job.tasks.values()) {
        if (task.nodeId !== record.node.id || task.task.state !== "completed" || task.task.nodeInfo?.poolId !== record.poolId) continue;
        const retention = optionalDurationMs("constraints.retentionTime", task.task.constraints.retentionTime) ?? DEFAULT_RETENTION_MS;
        due = Math.max(due, Date.parse(task.task.executionInfo.endTime ?? task.task.stateTransitionTime) + retention);
      }
    }
    const wait = due - this.ctx.clock.now();
    if (wait <= 0) return Promise.resolve();
    this.provisioner.agentLog.write(record, `waiting ${Math.ceil(wait / 1000)}s for task data retention to expire`);
    return new Promise((resolve) => this.ctx.clock.setTimer(wait, resolve));
  }

  /**
   * A reimage wipes the jobs' preparation task results on the node: "The Job Preparation Task is
   * always rerun if a Compute Node is reimaged" (REST `JobPreparationTask.rerunOnNodeRebootAfterSuccess`).
   */
  private forgetJobPreparations(record: NodeRecord): void {
    const key = jobNodeKey(record.poolId, record.node.id);
    for (const job of this.ctx.state.jobs.values()) {
      const jobNode = job.nodeTasks?.get(key);
      if (jobNode?.preparation) this.ctx.states.jobNode.update(job, jobNode, { preparation: undefined });
    }
  }
}
