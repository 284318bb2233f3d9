import type { ApplicationPackageReference, PoolPatchParameter, PoolUpdatePropertiesParameter, StartTask } from "../models/index.js";
import { BatchErrors } from "../batch-errors.js";
import { optionalArray, optionalBoolean, optionalEnum, optionalInteger, optionalObject, optionalString, requireString } from "./checks.js";
import { validateEnvironmentSettings, validateResourceFiles, validateRetryCount, validateUserIdentity } from "./validate-task-parts.js";

/** At most 10 package references on a pool (ApplicationPackageReference docs). */
export const MAX_POOL_PACKAGE_REFERENCES = 10;

export function validateStartTask(startTask: StartTask | undefined): void {
  const input = optionalObject("startTask", startTask);
  if (!input) return;
  requireString("startTask.commandLine", input.commandLine);
  validateResourceFiles("startTask.resourceFiles", input.resourceFiles);
  validateEnvironmentSettings("startTask.environmentSettings", input.environmentSettings);
  validateUserIdentity("startTask.userIdentity", input.userIdentity);
  validateRetryCount("startTask.maxTaskRetryCount", input.maxTaskRetryCount);
  optionalBoolean("startTask.waitForSuccess", input.waitForSuccess);
}

/** Each reference names an application; a pool has at most 10. */
export function validatePackageReferences(references: ApplicationPackageReference[] | undefined, max = Number.MAX_SAFE_INTEGER): void {
  const list = optionalArray("applicationPackageReferences", references);
  list.forEach((reference, i) => {
    const item = optionalObject(`applicationPackageReferences[${i}]`, reference) ?? {};
    requireString(`applicationPackageReferences[${i}].applicationId`, item.applicationId);
    optionalString(`applicationPackageReferences[${i}].version`, item.version);
  });
  if (list.length > max) {
    throw BatchErrors.invalidPropertyValue("applicationPackageReferences", list.length, `A pool may reference at most ${max} application packages.`);
  }
}

const MODES = ["default", "classic", "simplified"];

/** The service's rules for `Pool_Patch`, before the pool is looked at. */
export function validatePoolPatch(patch: PoolPatchParameter): void {
  const input = patch as unknown as Record<string, unknown>;
  optionalString("displayName", input.displayName);
  optionalString("vmSize", input.vmSize);
  optionalBoolean("enableInterNodeCommunication", input.enableInterNodeCommunication);
  optionalInteger("taskSlotsPerNode", input.taskSlotsPerNode, 1, 256);
  const policy = optionalObject("taskSchedulingPolicy", input.taskSchedulingPolicy);
  if (policy) optionalEnum("taskSchedulingPolicy.nodeFillType", policy.nodeFillType, ["spread", "pack"]);
  optionalEnum("targetNodeCommunicationMode", input.targetNodeCommunicationMode, MODES);
  validateStartTask(patch.startTask);
  validatePackageReferences(patch.applicationPackageReferences, MAX_POOL_PACKAGE_REFERENCES);
  optionalArray("metadata", input.metadata);
}

/** The service's rules for `Pool_UpdateProperties`. */
export function validatePoolUpdateProperties(replacement: PoolUpdatePropertiesParameter): void {
  const input = replacement as unknown as Record<string, unknown>;
  optionalEnum("targetNodeCommunicationMode", input.targetNodeCommunicationMode, MODES);
  validateStartTask(replacement.startTask);
  validatePackageReferences(replacement.applicationPackageReferences, MAX_POOL_PACKAGE_REFERENCES);
  optionalArray("metadata", input.metadata);
}
