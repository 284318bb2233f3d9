import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { createLogger } from "../../../core/logger.js";
import { optionalDurationMs } from "../../../core/validation/durations.js";
import { nodeRootOfAgentDirectory } from "../docker/agent-directory.js";
import { LABEL } from "../docker/labels.js";
import { isoNow } from "../state/clock.js";
import type { JobRecord, NodeRecord, PoolRecord } from "../state/records.js";
import { SubtaskStates } from "../state/subtask-state.js";
import type { JobLifecycle } from "./job-lifecycle.js";
import type { LocalContext } from "./local-context.js";
import type { LocalJobOperations } from "./local-job-operations.js";
import type { NodeControl } from "./node-control.js";
import type { NodeProvisioner } from "./node-provisioner.js";

const log = createLogger("malachite:recovery");

/**
 * Picks up restored state after Malachite restarted on the same data directory: a node whose
 * container survived (the previous process was killed, not closed) and whose agent answers is
 * adopted with it (NodeProvisioner.adopt); every other node comes back on a new container, as
 * the service's nodes after a reboot (its start task runs again). A reboot, reimage or
 * deallocation that was under way is finished (NodeControl.resume). Tasks that were running are
 * requeued, deletions in progress finish, job wall clocks keep counting from the job's creation,
 * and node directories nobody owns any more are removed.
 */
export class StateRecovery {
  constructor(
    private readonly ctx: LocalContext,
    private readonly provisioner: NodeProvisioner,
    private readonly control: NodeControl,
    private readonly lifecycle: JobLifecycle,
    private readonly jobs: LocalJobOperations,
  ) {}

  async recover(): Promise<void> {
    // Nodes first: a job's release tasks interrupted by the restart wait for their node to be back up.
    for (const pool of [...this.ctx.state.pools.values()]) await this.recoverPool(pool);
    await this.removeStrayContainers();
    for (const job of [...this.ctx.state.jobs.values()]) this.recoverJob(job);
    await this.removeOrphanedNodeDirectories();
    this.ctx.requestScheduling();
  }

  private recoverJob(job: JobRecord): void {
    if (job.job.state === "deleting") {
      this.ctx.background.track(`finishing the deletion of job ${job.job.id}`, this.jobs.removeWhenStopped(job));
      return;
    }
    for (const record of job.tasks.values()) {
      const state = record.task.state;
      if (state !== "running" && state !== "preparing") continue;
      const info = record.task.executionInfo;
      new SubtaskStates({ store: this.ctx.state, clock: this.ctx.clock }).drop(record);
      this.ctx.states.task.transition(record, "active", {
        executionInfo: { ...info, requeueCount: info.requeueCount + 1, lastRequeueTime: isoNow(this.ctx.clock) },
        nodeInfo: undefined,
      });
    }
    if (job.job.state === "terminating" || job.job.state === "disabling") this.lifecycle.onTaskCompleted(job);
    const limit = optionalDurationMs("constraints.maxWallClockTime", job.job.constraints?.maxWallClockTime);
    const stillActive = job.job.state !== "completed" && job.job.state !== "terminating";
    if (limit !== undefined && stillActive) {
      const elapsed = this.ctx.clock.now() - Date.parse(job.job.creationTime);
      this.lifecycle.enforceWallClock(job, Math.max(0, limit - elapsed));
    }
  }

  private async recoverPool(pool: PoolRecord): Promise<void> {
    if (pool.pool.state === "deleting") {
      const nodes = [...pool.nodes.values()];
      const work = Promise.all(nodes.map((node) => this.provisioner.remove(pool, node)))
        .then(() => this.provisioner.removePoolDirectory(pool))
        .finally(() => this.ctx.state.removePool(pool));
      this.ctx.background.track(`finishing the deletion of pool ${pool.pool.id}`, work);
      return;
    }
    const nodes = [...pool.nodes.values()];
    const adopted = await Promise.all(nodes.map((node) => this.provisioner.adopt(pool, node)));
    nodes.forEach((node, index) => {
      const state = node.node.state;
      // A reboot, reimage or deallocation asked for before the restart is finished (on the adopted container, or what is left of it).
      if (node.pending && state !== "leavingpool" && state !== "deallocating" && state !== "deallocated") {
        if (!adopted[index]) node.running.clear();
        this.control.resume(pool, node, node.pending);
        return;
      }
      if (adopted[index]) return;
      if (node.node.state === "leavingpool") this.ctx.background.track(`removing node ${node.node.id}`, this.provisioner.remove(pool, node));
      else if (node.node.state === "deallocated" || node.node.state === "deallocating") this.provisioner.settleDeallocated(node);
      else this.restart(pool, node);
    });
  }

  /** A node that was not adopted reboots; a container of it that still runs goes first (the sweep spares it while this process owns the directory). */
  private restart(pool: PoolRecord, node: NodeRecord): void {
    const old = node.containerId;
    if (old !== undefined && this.ctx.settings.durable) {
      this.ctx.background.track(
        `removing the old container of node ${node.node.id}`,
        this.ctx.runtime
          .removeNode(old)
          .catch((error: unknown) => log.warn(`could not remove an old container of node ${node.node.id}: ${(error as Error).message}`)),
      );
    }
    this.provisioner.restart(pool, node);
  }

  /**
   * Node containers of this data directory that an earlier process started and no node names
   * any more (it died before recording one): the sweep spares them while this process owns the
   * directory, so they go here. Adopted nodes keep theirs; this process's own are new ones.
   */
  private async removeStrayContainers(): Promise<void> {
    const { runtime, settings } = this.ctx;
    if (!settings.durable) return;
    const kept = new Set<string>();
    for (const pool of this.ctx.state.pools.values()) for (const node of pool.nodes.values()) if (node.containerId) kept.add(node.containerId);
    const labelled = await runtime.listManaged({ [LABEL.dataDir]: path.resolve(settings.dataDir) }).catch((error: unknown) => {
      log.warn(`cannot list the node containers of ${settings.dataDir}: ${(error as Error).message}`);
      return [];
    });
    for (const container of labelled) {
      if (kept.has(container.id) || container.labels[LABEL.session] === settings.sessionId) continue;
      log.debug(`removing node container ${container.name}, which no node names`);
      this.ctx.background.track(
        `removing the stray node container ${container.name}`,
        runtime.removeNode(container.id).catch((error: unknown) => log.warn(`could not remove ${container.name}: ${(error as Error).message}`)),
      );
    }
  }

  /** `<dataDir>/nodes/<pool>/<node>` directories (and their agents') of pools and nodes the state no longer has. */
  private async removeOrphanedNodeDirectories(): Promise<void> {
    const nodesDir = path.join(this.ctx.settings.dataDir, "nodes");
    const kept = new Set<string>();
    for (const pool of this.ctx.state.pools.values()) for (const node of pool.nodes.values()) kept.add(path.resolve(node.hostRoot));
    for (const poolDir of await readdir(nodesDir, { withFileTypes: true }).catch(() => [])) {
      if (!poolDir.isDirectory()) continue;
      const poolPath = path.join(nodesDir, poolDir.name);
      for (const nodeDir of await readdir(poolPath, { withFileTypes: true }).catch(() => [])) {
        const nodePath = path.resolve(poolPath, nodeDir.name);
        // A kept node's agent directory may be in use already by its new container.
        if (kept.has(nodePath) || kept.has(nodeRootOfAgentDirectory(nodePath) ?? "")) continue;
        log.debug(`removing the directory of a node that no longer exists: ${nodePath}`);
        await rm(nodePath, { recursive: true, force: true });
      }
      if ((await readdir(poolPath).catch(() => [])).length === 0) await rm(poolPath, { recursive: true, force: true });
    }
  }
}
