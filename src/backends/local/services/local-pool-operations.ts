import { checkAccessConditions, type ConditionalOptions } from "../../../core/access-conditions.js";
import type { PoolOperations } from "../../../core/backend.js";
import { BatchErrors } from "../../../core/batch-errors.js";
import type {
  CloudPool,
  PoolAddParameter,
  PoolPatchParameter,
  PoolResizeParameter,
  PoolUpdatePropertiesParameter,
  PoolUsageMetrics,
  PoolUsageMetricsQuery,
} from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import { validatePoolAdd } from "../../../core/validation/validate-add.js";
import { optionalDuration, optionalEnum, optionalInteger } from "../../../core/validation/checks.js";
import { isoNow, newETag } from "../state/clock.js";
import { runningAttempts, type NodeRecord, type PoolRecord } from "../state/records.js";
import { entityUrl } from "./entity-urls.js";
import { containerSettingsWithoutSecrets, validateContainerConfiguration, validateContainerSettings, withoutPassword } from "./container-validation.js";
import type { LocalContext } from "./local-context.js";
import type { NodeProvisioner } from "./node-provisioner.js";
import { checkPoolPackageReferences } from "../applications/pool-package-check.js";
import { validatePackageReferences, MAX_POOL_PACKAGE_REFERENCES } from "../../../core/validation/validate-pool-update.js";
import { PoolUpdate } from "./pool-update.js";
import { poolUsageMetrics } from "./pool-usage-metrics.js";

/** Pools of Docker nodes. Deleting a pool requeues its running tasks and removes its containers. */
export class LocalPoolOperations implements PoolOperations {
  private readonly updates: PoolUpdate;

  constructor(
    private readonly ctx: LocalContext,
    private readonly provisioner: NodeProvisioner,
  ) {
    this.updates = new PoolUpdate(ctx);
  }

  async add(parameter: PoolAddParameter): Promise<CloudPool> {
    validatePoolAdd(parameter);
    if (parameter.targetLowPriorityNodes) {
      throw BatchErrors.unsupportedProperty("targetLowPriorityNodes", "The local backend has dedicated nodes only.");
    }
    validateContainerConfiguration("virtualMachineConfiguration.containerConfiguration", parameter.virtualMachineConfiguration?.containerConfiguration);
    validateContainerSettings("startTask.containerSettings", parameter.startTask?.containerSettings);
    if (parameter.startTask?.userIdentity?.username) {
      throw BatchErrors.unsupportedProperty("startTask.userIdentity.username", "The local backend supports auto-user identities only.");
    }
    validatePackageReferences(parameter.applicationPackageReferences, MAX_POOL_PACKAGE_REFERENCES);
    if (this.ctx.state.pools.has(idKey(parameter.id))) throw BatchErrors.poolExists(parameter.id);
    await checkPoolPackageReferences(this.ctx.applications, parameter.applicationPackageReferences);
    // Again: another add of the same id may have come in while the package store was read.
    if (this.ctx.state.pools.has(idKey(parameter.id))) throw BatchErrors.poolExists(parameter.id);
    const now = isoNow(this.ctx.clock);
    const pool: CloudPool = {
      ...withoutRegistryPasswords(structuredClone(parameter)),
      url: entityUrl(this.ctx.settings.accountUrl, "pools", parameter.id),
      eTag: newETag(this.ctx.clock),
      lastModified: now,
      creationTime: now,
      state: "active",
      stateTransitionTime: now,
      allocationState: parameter.targetDedicatedNodes ? "resizing" : "steady",
      allocationStateTransitionTime: now,
      resizeTimeout: parameter.resizeTimeout ?? "PT15M",
      currentDedicatedNodes: 0,
      currentLowPriorityNodes: 0,
      targetDedicatedNodes: parameter.targetDedicatedNodes ?? 0,
      targetLowPriorityNodes: 0,
      taskSlotsPerNode: parameter.taskSlotsPerNode ?? 1,
      taskSchedulingPolicy: parameter.taskSchedulingPolicy ?? { nodeFillType: "spread" },
      enableAutoScale: false,
      enableInterNodeCommunication: parameter.enableInterNodeCommunication ?? false,
    };
    const record: PoolRecord = { pool, nodes: new Map(), nextNodeIndex: 1 };
    this.ctx.state.addPool(record);
    if (pool.targetDedicatedNodes > 0) void this.provisioner.grow(record, pool.targetDedicatedNodes);
    return structuredClone(pool);
  }

  async get(poolId: string, options?: ConditionalOptions): Promise<CloudPool> {
    const pool = this.ctx.state.poolRecord(poolId).pool;
    checkAccessConditions(pool, options?.conditions, "read");
    return structuredClone(pool);
  }

  async exists(poolId: string): Promise<boolean> {
    return this.ctx.state.pools.has(idKey(poolId));
  }

  async list(): Promise<CloudPool[]> {
    return [...this.ctx.state.pools.values()].map((record) => structuredClone(record.pool));
  }

  async delete(poolId: string, options?: ConditionalOptions): Promise<void> {
    const record = this.ctx.state.poolRecord(poolId);
    checkAccessConditions(record.pool, options?.conditions, "write");
    if (record.pool.state === "deleting") throw BatchErrors.poolBeingDeleted(poolId);
    this.ctx.states.pool.transition(record, "deleting");
    const work = this.removeNodes(record, [...record.nodes.values()])
      .then(() => this.provisioner.removePoolDirectory(record))
      .finally(() => this.ctx.state.removePool(record));
    this.ctx.background.track(`deleting pool ${record.pool.id}`, work);
  }

  async resize(poolId: string, resize: PoolResizeParameter, options?: ConditionalOptions): Promise<void> {
    const record = this.ctx.state.poolRecord(poolId);
    checkAccessConditions(record.pool, options?.conditions, "write");
    if (record.pool.state === "deleting") throw BatchErrors.poolBeingDeleted(poolId);
    if (record.pool.allocationState !== "steady") throw BatchErrors.poolNotSteady(poolId);
    optionalInteger("targetDedicatedNodes", resize.targetDedicatedNodes, 0, 2000);
    optionalDuration("resizeTimeout", resize.resizeTimeout);
    optionalEnum("nodeDeallocationOption", resize.nodeDeallocationOption, ["requeue", "terminate", "taskcompletion", "retaineddata"]);
    if (resize.targetLowPriorityNodes) {
      throw BatchErrors.unsupportedProperty("targetLowPriorityNodes", "The local backend has dedicated nodes only.");
    }
    const target = resize.targetDedicatedNodes ?? record.pool.targetDedicatedNodes;
    const current = record.nodes.size;
    const fields = { targetDedicatedNodes: target, ...(resize.resizeTimeout ? { resizeTimeout: resize.resizeTimeout } : {}) };
    if (target === current) {
      this.ctx.states.pool.update(record, fields);
      return;
    }
    this.ctx.states.pool.allocate(record, "resizing", fields);
    if (target > current) {
      void this.provisioner.grow(record, target - current);
      return;
    }
    const byIdleness = [...record.nodes.values()].sort((a, b) => a.running.size - b.running.size);
    const option = resize.nodeDeallocationOption ?? "requeue";
    this.ctx.background.track(`shrinking pool ${record.pool.id}`, this.removeNodes(record, byIdleness.slice(0, current - target), option));
  }

  patch(poolId: string, patch: PoolPatchParameter, options?: ConditionalOptions): Promise<CloudPool> {
    return this.updates.patch(poolId, patch, options);
  }

  updateProperties(poolId: string, replacement: PoolUpdatePropertiesParameter): Promise<CloudPool> {
    return this.updates.updateProperties(poolId, replacement);
  }

  async listUsageMetrics(query: PoolUsageMetricsQuery = {}): Promise<PoolUsageMetrics[]> {
    return poolUsageMetrics(this.ctx.usage.all(), query, this.ctx.clock.now());
  }

  /** Stops what runs on the nodes, then removes them. */
  private async removeNodes(
    record: PoolRecord,
    nodes: NodeRecord[],
    option: NonNullable<PoolResizeParameter["nodeDeallocationOption"]> = "requeue",
  ): Promise<void> {
    await Promise.all(
      nodes.map(async (node) => {
        node.leaving = true;
        // taskcompletion and retaineddata let running tasks finish; requeue and terminate stop them.
        if (option === "requeue" || option === "terminate") {
          for (const task of node.running.values()) task.abort?.abort(option);
        }
        // Tasks that run on: wait for them. Nothing new starts on a leaving node.
        while (node.running.size > 0) await Promise.all(runningAttempts(node.running.values()));
        await this.provisioner.remove(record, node);
      }),
    );
    this.ctx.requestScheduling();
  }
}

/** The pool as kept and reported: registry passwords are never stored (see container-validation.ts). */
function withoutRegistryPasswords(pool: PoolAddParameter): PoolAddParameter {
  const configuration = pool.virtualMachineConfiguration?.containerConfiguration;
  if (configuration?.containerRegistries) configuration.containerRegistries = configuration.containerRegistries.map(withoutPassword);
  if (pool.startTask?.containerSettings) pool.startTask.containerSettings = containerSettingsWithoutSecrets(pool.startTask.containerSettings);
  return pool;
}
