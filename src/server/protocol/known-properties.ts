import { BatchError } from "../../core/batch-error.js";
import { BatchErrors } from "../../core/batch-errors.js";

/**
 * The top-level properties of each create body: those Malachite honours, those of the service
 * it does not emulate (refused with `UnsupportedProperty`, never silently ignored), and anything
 * else, which the service itself refuses as an invalid body.
 */
interface BodySchema {
  entity: string;
  supported: readonly string[];
  unsupported: readonly string[];
}

export const POOL_ADD: BodySchema = {
  entity: "pool",
  supported: [
    "id", "displayName", "vmSize", "virtualMachineConfiguration", "resizeTimeout", "targetDedicatedNodes",
    "targetLowPriorityNodes", "enableAutoScale", "enableInterNodeCommunication", "startTask", "taskSlotsPerNode",
    "taskSchedulingPolicy", "metadata", "targetNodeCommunicationMode",
  ],
  unsupported: [
    "cloudServiceConfiguration", "autoScaleFormula", "autoScaleEvaluationInterval", "networkConfiguration",
    "certificateReferences", "applicationPackageReferences", "applicationLicenses", "userAccounts", "mountConfiguration",
    "identity", "upgradePolicy", "resourceTags", "enableAcceleratedNetworking",
  ],
};

export const JOB_ADD: BodySchema = {
  entity: "job",
  supported: [
    "id", "displayName", "priority", "maxParallelTasks", "constraints", "commonEnvironmentSettings", "poolInfo",
    "onAllTasksComplete", "onTaskFailure", "metadata", "usesTaskDependencies", "allowTaskPreemption",
  ],
  unsupported: ["jobManagerTask", "jobPreparationTask", "jobReleaseTask", "networkConfiguration"],
};

export const TASK_ADD: BodySchema = {
  entity: "task",
  supported: [
    "id", "displayName", "commandLine", "resourceFiles", "outputFiles", "environmentSettings", "constraints",
    "requiredSlots", "userIdentity", "containerSettings",
  ],
  unsupported: ["exitConditions", "affinityInfo", "multiInstanceSettings", "dependsOn", "applicationPackageReferences", "authenticationTokenSettings"],
};

/** Throws the service's 400 error for a property the body must not have. */
export function checkProperties(body: Record<string, unknown>, schema: BodySchema, path = ""): void {
  for (const [name, value] of Object.entries(body)) {
    if (value === null || value === undefined || name.startsWith("odata.")) continue;
    if (schema.supported.includes(name)) continue;
    if (schema.unsupported.includes(name)) {
      throw BatchErrors.unsupportedProperty(`${path}${name}`, `Malachite does not emulate the ${schema.entity} property '${name}'.`);
    }
    throw new BatchError(400, "InvalidRequestBody", "The specified Request Body is not syntactically valid.", [
      { key: "Reason", value: `The property '${path}${name}' does not exist on type '${schema.entity}'.` },
    ]);
  }
}
