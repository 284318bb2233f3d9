import { checkAccessConditions, type ConditionalOptions } from "../../../core/access-conditions.js";
import { BatchErrors } from "../../../core/batch-errors.js";
import type { CloudPool, PoolPatchParameter, PoolUpdatePropertiesParameter, StartTask } from "../../../core/models/index.js";
import { validatePoolPatch, validatePoolUpdateProperties } from "../../../core/validation/validate-pool-update.js";
import { checkPoolPackageReferences } from "../applications/pool-package-check.js";
import type { PoolRecord } from "../state/records.js";
import { containerSettingsWithoutSecrets, validateContainerConfiguration, validateContainerSettings, withoutPassword } from "./container-validation.js";
import type { LocalContext } from "./local-context.js";

/** What `Pool_Patch` may change only on a pool without nodes (BatchPoolUpdateOptions: "can be updated only when the pool is empty"). */
const EMPTY_POOL_ONLY = [
  "displayName",
  "vmSize",
  "enableInterNodeCommunication",
  "virtualMachineConfiguration",
  "taskSlotsPerNode",
  "taskSchedulingPolicy",
] as const;

/**
 * `Pool_Patch` and `Pool_UpdateProperties`. The pool changes at once (new ETag); its nodes see a
 * new start task or package list when they next start (a new node, a reboot, a reimage, a node
 * brought back after a restart), as on the service: running nodes are left as they are.
 */
export class PoolUpdate {
  constructor(private readonly ctx: LocalContext) {}

  async patch(poolId: string, patch: PoolPatchParameter, options?: ConditionalOptions): Promise<CloudPool> {
    validatePoolPatch(patch);
    const record = this.writablePool(poolId, options);
    for (const name of EMPTY_POOL_ONLY) {
      const value = patch[name];
      if (value === undefined || JSON.stringify(value) === JSON.stringify(record.pool[name])) continue;
      if (record.nodes.size > 0) throw BatchErrors.poolNotEmpty(record.pool.id, name);
    }
    validateContainerConfiguration("virtualMachineConfiguration.containerConfiguration", patch.virtualMachineConfiguration?.containerConfiguration);
    this.checkStartTask(patch.startTask);
    await checkPoolPackageReferences(this.ctx.applications, patch.applicationPackageReferences);
    const fields: Partial<CloudPool> = {};
    for (const [name, value] of Object.entries(structuredClone(patch)) as [string, unknown][]) {
      if (value !== undefined) Object.assign(fields, { [name]: value });
    }
    if (fields.startTask) fields.startTask = startTaskWithoutSecrets(fields.startTask);
    const registries = fields.virtualMachineConfiguration?.containerConfiguration?.containerRegistries;
    if (registries && fields.virtualMachineConfiguration?.containerConfiguration) {
      fields.virtualMachineConfiguration.containerConfiguration.containerRegistries = registries.map(withoutPassword);
    }
    this.ctx.states.pool.update(record, fields);
    return structuredClone(record.pool);
  }

  async updateProperties(poolId: string, replacement: PoolUpdatePropertiesParameter): Promise<CloudPool> {
    validatePoolUpdateProperties(replacement);
    const record = this.writablePool(poolId);
    this.checkStartTask(replacement.startTask);
    await checkPoolPackageReferences(this.ctx.applications, replacement.applicationPackageReferences);
    const copy = structuredClone(replacement);
    this.ctx.states.pool.update(record, {
      startTask: copy.startTask ? startTaskWithoutSecrets(copy.startTask) : undefined,
      applicationPackageReferences: copy.applicationPackageReferences ?? [],
      metadata: copy.metadata ?? [],
      targetNodeCommunicationMode: copy.targetNodeCommunicationMode ?? "default",
    });
    return structuredClone(record.pool);
  }

  private writablePool(poolId: string, options?: ConditionalOptions): PoolRecord {
    const record = this.ctx.state.poolRecord(poolId);
    checkAccessConditions(record.pool, options?.conditions, "write");
    if (record.pool.state === "deleting") throw BatchErrors.poolBeingDeleted(poolId);
    return record;
  }

  /** What pool add refuses in a start task, refused here too. */
  private checkStartTask(startTask: StartTask | undefined): void {
    validateContainerSettings("startTask.containerSettings", startTask?.containerSettings);
  }
}

/** Registry passwords are never stored (see container-validation.ts). */
function startTaskWithoutSecrets(startTask: StartTask): StartTask {
  return startTask.containerSettings ? { ...startTask, containerSettings: containerSettingsWithoutSecrets(startTask.containerSettings) } : startTask;
}
