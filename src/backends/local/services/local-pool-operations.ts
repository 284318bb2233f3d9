import { checkAccessConditions, type ConditionalOptions } from "../../../core/access-conditions.js";
import type { ExpandOptions, PoolOperations, ReadOptions } from "../../../core/backend.js";
import { BatchErrors } from "../../../core/batch-errors.js";
import { AutoScaleErrors, DEFAULT_EVALUATION_INTERVAL } from "../../../core/autoscale/index.js";
import type {
  AutoScaleRun,
  CloudPool,
  NodeRemoveParameter,
  PoolAddParameter,
  PoolEnableAutoScaleParameter,
  PoolPatchParameter,
  PoolResizeParameter,
  PoolUpdatePropertiesParameter,
  PoolStatistics,
  PoolUsageMetrics,
  PoolUsageMetricsQuery,
} from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import { optionalEnum, optionalInteger } from "../../../core/validation/checks.js";
import { optionalResizeTimeout } from "../../../core/validation/resize-timeout.js";
import { isoNow, newETag } from "../state/clock.js";
import type { PoolRecord } from "../state/records.js";
import { entityUrl } from "./entity-urls.js";
import { containerSettingsWithoutSecrets, withoutPassword } from "./container-validation.js";
import { mountsWithoutKeys } from "./blob-mount-rules.js";
import { checkPoolAdd } from "./pool-add-checks.js";
import type { LocalContext } from "./local-context.js";
import type { NodeProvisioner } from "./node-provisioner.js";
import type { PoolSizing } from "./pool-sizing.js";
import { DEALLOCATION_OPTIONS, validateNodeRemove } from "../../../core/validation/validate-node-remove.js";
import { checkPoolPackageReferences } from "../applications/pool-package-check.js";
import { PoolUpdate } from "./pool-update.js";
import { poolUsageMetrics } from "./pool-usage-metrics.js";
import { lifetimePoolStatistics, poolStatistics } from "./pool-statistics.js";
import type { PoolAutoScale } from "./pool-autoscale.js";

/** Pools of Docker nodes, sized by PoolSizing. Deleting a pool requeues its running tasks and removes its containers. */
export class LocalPoolOperations implements PoolOperations {
  private readonly updates: PoolUpdate;

  constructor(
    private readonly ctx: LocalContext,
    private readonly provisioner: NodeProvisioner,
    private readonly sizing: PoolSizing,
    private readonly autoScale: PoolAutoScale,
  ) {
    this.updates = new PoolUpdate(ctx);
  }

  async add(parameter: PoolAddParameter): Promise<CloudPool> {
    const { formula, accounts } = checkPoolAdd(parameter, this.ctx.storage.accountName);
    if (this.ctx.state.pools.has(idKey(parameter.id))) throw BatchErrors.poolExists(parameter.id);
    await checkPoolPackageReferences(this.ctx.applications, parameter.applicationPackageReferences);
    // Again: another add of the same id may have come in while the package store was read.
    if (this.ctx.state.pools.has(idKey(parameter.id))) throw BatchErrors.poolExists(parameter.id);
    const now = isoNow(this.ctx.clock);
    const pool: CloudPool = {
      ...withoutRegistryPasswords(structuredClone(parameter)),
      ...(accounts ? { userAccounts: accounts.kept } : {}),
      url: entityUrl(this.ctx.settings.accountUrl, "pools", parameter.id),
      eTag: newETag(this.ctx.clock),
      lastModified: now,
      creationTime: now,
      state: "active",
      stateTransitionTime: now,
      allocationState: "steady",
      allocationStateTransitionTime: now,
      resizeTimeout: parameter.resizeTimeout ?? "PT15M",
      currentDedicatedNodes: 0,
      currentLowPriorityNodes: 0,
      targetDedicatedNodes: 0,
      targetLowPriorityNodes: 0,
      taskSlotsPerNode: parameter.taskSlotsPerNode ?? 1,
      taskSchedulingPolicy: parameter.taskSchedulingPolicy ?? { nodeFillType: "spread" },
      enableAutoScale: formula !== undefined,
      ...(formula ? { autoScaleEvaluationInterval: parameter.autoScaleEvaluationInterval ?? DEFAULT_EVALUATION_INTERVAL } : {}),
      enableInterNodeCommunication: parameter.enableInterNodeCommunication ?? false,
    };
    const record: PoolRecord = { pool, nodes: new Map(), nextNodeIndex: 1, ...(accounts ? { accountPasswordHashes: accounts.passwordHashes } : {}) };
    this.ctx.state.addPool(record);
    if (formula) this.autoScale.started(record, formula);
    else {
      this.sizing.setTargets(record, {
        targetDedicatedNodes: parameter.targetDedicatedNodes ?? 0,
        targetLowPriorityNodes: parameter.targetLowPriorityNodes ?? 0,
      });
    }
    return structuredClone(record.pool);
  }

  async get(poolId: string, options?: ReadOptions): Promise<CloudPool> {
    const record = this.ctx.state.poolRecord(poolId);
    checkAccessConditions(record.pool, options?.conditions, "read");
    return this.reported(record, options);
  }

  async exists(poolId: string): Promise<boolean> {
    return this.ctx.state.pools.has(idKey(poolId));
  }

  async list(options?: ExpandOptions): Promise<CloudPool[]> {
    return [...this.ctx.state.pools.values()].map((record) => this.reported(record, options));
  }

  async getAllLifetimeStatistics(): Promise<PoolStatistics> {
    return lifetimePoolStatistics(`${this.ctx.settings.accountUrl}/lifetimepoolstats`, this.ctx.usage.all(), this.ctx.clock.now());
  }

  /** A copy of the pool, with its statistics when asked. */
  private reported(record: PoolRecord, options: ExpandOptions | undefined): CloudPool {
    const pool = structuredClone(record.pool);
    if (options?.withStats) pool.stats = poolStatistics(pool, this.ctx.usage.all(), this.autoScale.samples(record), this.ctx.clock.now());
    return pool;
  }

  async delete(poolId: string, options?: ConditionalOptions): Promise<void> {
    const record = this.ctx.state.poolRecord(poolId);
    checkAccessConditions(record.pool, options?.conditions, "write");
    if (record.pool.state === "deleting") throw BatchErrors.poolBeingDeleted(poolId);
    this.autoScale.stop(record);
    this.ctx.states.pool.transition(record, "deleting");
    const work = this.sizing
      .releaseAll(record)
      .then(() => this.provisioner.removePoolDirectory(record))
      .finally(() => this.ctx.state.removePool(record));
    this.ctx.background.track(`deleting pool ${record.pool.id}`, work);
  }

  async resize(poolId: string, resize: PoolResizeParameter, options?: ConditionalOptions): Promise<void> {
    const record = this.changeableSize(poolId, options);
    if (record.pool.enableAutoScale) {
      throw AutoScaleErrors.notValidOnPool(poolId, "The pool's size is set by its autoscale formula: disable autoscale before resizing it.");
    }
    optionalInteger("targetDedicatedNodes", resize.targetDedicatedNodes, 0, 2000);
    optionalInteger("targetLowPriorityNodes", resize.targetLowPriorityNodes, 0, 2000);
    optionalResizeTimeout(resize.resizeTimeout);
    optionalEnum("nodeDeallocationOption", resize.nodeDeallocationOption, DEALLOCATION_OPTIONS);
    this.sizing.setTargets(record, {
      targetDedicatedNodes: resize.targetDedicatedNodes ?? record.pool.targetDedicatedNodes,
      targetLowPriorityNodes: resize.targetLowPriorityNodes ?? record.pool.targetLowPriorityNodes,
      ...(resize.resizeTimeout ? { resizeTimeout: resize.resizeTimeout } : {}),
      ...(resize.nodeDeallocationOption ? { nodeDeallocationOption: resize.nodeDeallocationOption } : {}),
    });
  }

  async removeNodes(poolId: string, remove: NodeRemoveParameter, options?: ConditionalOptions): Promise<void> {
    const record = this.changeableSize(poolId, options);
    validateNodeRemove(remove);
    const nodes = [...new Set(remove.nodeList)].map((nodeId) => {
      const node = record.nodes.get(nodeId);
      if (!node) throw BatchErrors.nodeNotFound(nodeId);
      return node;
    });
    this.sizing.removeNodes(record, nodes, remove.nodeDeallocationOption ?? "requeue", remove.resizeTimeout);
  }

  async stopResize(poolId: string, options?: ConditionalOptions): Promise<void> {
    const record = this.ctx.state.poolRecord(poolId);
    checkAccessConditions(record.pool, options?.conditions, "write");
    if (record.pool.state === "deleting") throw BatchErrors.poolBeingDeleted(poolId);
    this.sizing.stopResize(record);
  }

  /** A pool whose size may change now: active and steady. */
  private changeableSize(poolId: string, options?: ConditionalOptions): PoolRecord {
    const record = this.ctx.state.poolRecord(poolId);
    checkAccessConditions(record.pool, options?.conditions, "write");
    if (record.pool.state === "deleting") throw BatchErrors.poolBeingDeleted(poolId);
    if (record.pool.allocationState !== "steady") throw BatchErrors.poolNotSteady(poolId);
    return record;
  }

  async enableAutoScale(poolId: string, parameter: PoolEnableAutoScaleParameter, options?: ConditionalOptions): Promise<void> {
    this.autoScale.enable(poolId, parameter, options);
  }

  async disableAutoScale(poolId: string): Promise<void> {
    this.autoScale.disable(poolId);
  }

  async evaluateAutoScale(poolId: string, autoScaleFormula: string): Promise<AutoScaleRun> {
    return this.autoScale.evaluate(poolId, autoScaleFormula);
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
}

/** The pool as kept and reported: registry passwords and mount keys are never stored (container-validation.ts, blob-mount-rules.ts). */
export function withoutRegistryPasswords<T extends Omit<PoolAddParameter, "id">>(pool: T): T {
  const configuration = pool.virtualMachineConfiguration?.containerConfiguration;
  if (configuration?.containerRegistries) configuration.containerRegistries = configuration.containerRegistries.map(withoutPassword);
  if (pool.startTask?.containerSettings) pool.startTask.containerSettings = containerSettingsWithoutSecrets(pool.startTask.containerSettings);
  if (pool.mountConfiguration) pool.mountConfiguration = mountsWithoutKeys(pool.mountConfiguration);
  return pool;
}
