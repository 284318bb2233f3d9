import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import type { ConditionalOptions } from "../../core/access-conditions.js";
import type { PoolOperations, PoolPlacement } from "../../core/backend.js";
import type { AutoScaleRun, CloudPool, PoolAddParameter, PoolEnableAutoScaleParameter, PoolResizeParameter } from "../../core/models/index.js";
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

  get(poolId: string, options: ConditionalOptions = {}): Promise<CloudPool> {
    const poolGetOptions = toSdkConditions(options.conditions);
    return callService(`Getting pool '${poolId}'`, async () => fromSdk<CloudPool>(await this.client.pool.get(poolId, { poolGetOptions })), options.conditions);
  }

  exists(poolId: string): Promise<boolean> {
    return callService(`Checking pool '${poolId}'`, async () => (await this.client.pool.exists(poolId)).body === true);
  }

  list(): Promise<CloudPool[]> {
    return callService("Listing pools", () =>
      listAll<CloudPool>(
        () => this.client.pool.list(),
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
