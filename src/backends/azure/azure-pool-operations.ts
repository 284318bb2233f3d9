import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import type { ConditionalOptions } from "../../core/access-conditions.js";
import type { ExpandOptions, PoolOperations, PoolPlacement, ReadOptions } from "../../core/backend.js";
import type { PoolStatistics } from "../../core/models/index.js";
import { toSdkExpand } from "./sdk-expand.js";
import type {
  AutoScaleRun,
  CloudPool,
  NodeRemoveParameter,
  PoolAddParameter,
  PoolEnableAutoScaleParameter,
  PoolPatchParameter,
  PoolResizeParameter,
  PoolUpdatePropertiesParameter,
  PoolUsageMetrics,
  PoolUsageMetricsQuery,
} from "../../core/models/index.js";
import { listAll } from "./list-pages.js";
import { callService } from "./rest-error-mapping.js";
import { toSdkConditions } from "./sdk-conditions.js";
import { fromSdk, toSdk } from "./sdk-models.js";

/**
 * A pool that states no VM image runs on the backend's placement image: the service refuses
 * a pool without one, and the backend knows a container-capable image that works.
 */
function withPlacement(pool: PoolAddParameter, placement: PoolPlacement): PoolAddParameter {
  return pool.virtualMachineConfiguration ? pool : { ...pool, virtualMachineConfiguration: placement.virtualMachineConfiguration };
}

/** Pools through `client.pool`. */
export class AzurePoolOperations implements PoolOperations {
  constructor(
    private readonly client: BatchServiceClient,
    private readonly placement: PoolPlacement,
  ) {}

  async add(pool: PoolAddParameter): Promise<CloudPool> {
    const spec = toSdk<BatchServiceModels.PoolAddParameter>("PoolAddParameter", withPlacement(pool, this.placement));
    await callService(`Adding pool '${pool.id}'`, () => this.client.pool.add(spec));
    return this.get(pool.id);
  }

  get(poolId: string, options: ReadOptions = {}): Promise<CloudPool> {
    const poolGetOptions = { ...toSdkConditions(options.conditions), ...toSdkExpand(options) };
    return callService(`Getting pool '${poolId}'`, async () => fromSdk<CloudPool>(await this.client.pool.get(poolId, { poolGetOptions })), options.conditions);
  }

  /** `client.pool.getAllLifetimeStatistics` (api-version 2022-10-01.16.0 has it; the service retired it in April 2023). */
  getAllLifetimeStatistics(): Promise<PoolStatistics> {
    return callService("Getting the pools' lifetime statistics", async () => fromSdk<PoolStatistics>(await this.client.pool.getAllLifetimeStatistics()));
  }

  exists(poolId: string): Promise<boolean> {
    return callService(`Checking pool '${poolId}'`, async () => (await this.client.pool.exists(poolId)).body === true);
  }

  list(options?: ExpandOptions): Promise<CloudPool[]> {
    return callService("Listing pools", () =>
      listAll<CloudPool>(
        () => this.client.pool.list({ poolListOptions: toSdkExpand(options) }),
        (link) => this.client.pool.listNext(link),
      ),
    );
  }

  async delete(poolId: string, options: ConditionalOptions = {}): Promise<void> {
    const poolDeleteMethodOptions = toSdkConditions(options.conditions);
    await callService(`Deleting pool '${poolId}'`, () => this.client.pool.deleteMethod(poolId, { poolDeleteMethodOptions }));
  }

  async resize(poolId: string, resize: PoolResizeParameter, options: ConditionalOptions = {}): Promise<void> {
    const parameter = toSdk<BatchServiceModels.PoolResizeParameter>("PoolResizeParameter", resize);
    const poolResizeOptions = toSdkConditions(options.conditions);
    await callService(`Resizing pool '${poolId}'`, () => this.client.pool.resize(poolId, parameter, { poolResizeOptions }));
  }

  async removeNodes(poolId: string, remove: NodeRemoveParameter, options: ConditionalOptions = {}): Promise<void> {
    const parameter = toSdk<BatchServiceModels.NodeRemoveParameter>("NodeRemoveParameter", remove);
    const poolRemoveNodesOptions = toSdkConditions(options.conditions);
    await callService(`Removing nodes from pool '${poolId}'`, () => this.client.pool.removeNodes(poolId, parameter, { poolRemoveNodesOptions }));
  }

  async stopResize(poolId: string, options: ConditionalOptions = {}): Promise<void> {
    const poolStopResizeOptions = toSdkConditions(options.conditions);
    await callService(`Stopping the resize of pool '${poolId}'`, () => this.client.pool.stopResize(poolId, { poolStopResizeOptions }));
  }

  /** `pool.patch`; SDK 10.2.0's PoolPatchParameter has no VM properties (vmSize, taskSlotsPerNode, ...): those are refused by name. */
  async patch(poolId: string, patch: PoolPatchParameter, options: ConditionalOptions = {}): Promise<CloudPool> {
    const parameter = toSdk<BatchServiceModels.PoolPatchParameter>("PoolPatchParameter", patch);
    const poolPatchOptions = toSdkConditions(options.conditions);
    await callService(`Updating pool '${poolId}'`, () => this.client.pool.patch(poolId, parameter, { poolPatchOptions }));
    return this.get(poolId);
  }

  /** `pool.updateProperties`: the SDK requires the three lists, so omitted ones are sent empty (which is what omitting them means). */
  async updateProperties(poolId: string, replacement: PoolUpdatePropertiesParameter): Promise<CloudPool> {
    const parameter = toSdk<BatchServiceModels.PoolUpdatePropertiesParameter>("PoolUpdatePropertiesParameter", {
      certificateReferences: [],
      applicationPackageReferences: [],
      metadata: [],
      ...replacement,
    });
    await callService(`Replacing the properties of pool '${poolId}'`, () => this.client.pool.updateProperties(poolId, parameter));
    return this.get(poolId);
  }

  listUsageMetrics(query: PoolUsageMetricsQuery = {}): Promise<PoolUsageMetrics[]> {
    const poolListUsageMetricsOptions = {
      ...(query.startTime ? { startTime: new Date(query.startTime) } : {}),
      ...(query.endTime ? { endTime: new Date(query.endTime) } : {}),
    };
    return callService("Listing pool usage metrics", async () =>
      (
        await listAll<PoolUsageMetrics & { startTime: string | Date; endTime: string | Date }>(
          () => this.client.pool.listUsageMetrics({ poolListUsageMetricsOptions }),
          (link) => this.client.pool.listUsageMetricsNext(link),
        )
      ).map((metrics) => ({ ...metrics, startTime: isoString(metrics.startTime), endTime: isoString(metrics.endTime) })),
    );
  }

  async enableAutoScale(poolId: string, parameter: PoolEnableAutoScaleParameter, options: ConditionalOptions = {}): Promise<void> {
    const spec = toSdk<BatchServiceModels.PoolEnableAutoScaleParameter>("PoolEnableAutoScaleParameter", parameter);
    const poolEnableAutoScaleOptions = toSdkConditions(options.conditions);
    await callService(`Enabling autoscale on pool '${poolId}'`, () => this.client.pool.enableAutoScale(poolId, spec, { poolEnableAutoScaleOptions }));
  }

  async disableAutoScale(poolId: string): Promise<void> {
    await callService(`Disabling autoscale on pool '${poolId}'`, () => this.client.pool.disableAutoScale(poolId));
  }

  evaluateAutoScale(poolId: string, autoScaleFormula: string): Promise<AutoScaleRun> {
    return callService(`Evaluating an autoscale formula on pool '${poolId}'`, async () =>
      fromSdk<AutoScaleRun>(await this.client.pool.evaluateAutoScale(poolId, autoScaleFormula)),
    );
  }
}

function isoString(value: string | Date): string {
  return typeof value === "string" ? value : value.toISOString();
}
