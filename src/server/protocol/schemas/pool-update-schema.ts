import type { PoolPatchParameter, PoolUpdatePropertiesParameter } from "../../../core/models/index.js";
import { BatchErrors } from "../../../core/batch-errors.js";
import { arrayOf, object, optional, required, unsupported, type Parser } from "../body-schema.js";
import { boolean, enumOf, integer, string } from "../body-values.js";
import { applicationPackageReferences, metadata } from "./common-schemas.js";
import { startTask, virtualMachineConfiguration } from "./pool-add-schema.js";

const MODES = ["default", "classic", "simplified"] as const;
/** Certificates are deprecated by the service and not emulated: only an empty list is accepted. */
const NO_CERTIFICATES: Parser<never[]> = arrayOf((_value, path) => {
  throw BatchErrors.unsupportedProperty(path, "Certificates are deprecated by the Batch service and not emulated; use an empty list.");
});

/** `PATCH /pools/{poolId}` (SPEC models.tsp `BatchPoolUpdateOptions`; Swagger `PoolPatchParameter`). */
export const parsePoolPatch: Parser<PoolPatchParameter> = object("PoolPatchParameter", {
  displayName: optional(string),
  vmSize: optional(string),
  enableInterNodeCommunication: optional(boolean),
  startTask: optional(startTask),
  applicationPackageReferences: optional(applicationPackageReferences),
  metadata: optional(metadata),
  virtualMachineConfiguration: optional(virtualMachineConfiguration),
  targetNodeCommunicationMode: optional(enumOf(MODES)),
  taskSlotsPerNode: optional(integer()),
  taskSchedulingPolicy: optional(object("TaskSchedulingPolicy", { nodeFillType: required(enumOf(["spread", "pack"])) })),
  certificateReferences: optional(NO_CERTIFICATES),
  networkConfiguration: unsupported(),
  resourceTags: unsupported(),
  userAccounts: unsupported(),
  mountConfiguration: unsupported(),
  upgradePolicy: unsupported(),
});

/** `POST /pools/{poolId}/updateproperties` (SPEC models.tsp `BatchPoolReplaceOptions`; Swagger `PoolUpdatePropertiesParameter`). */
export const parsePoolUpdateProperties: Parser<PoolUpdatePropertiesParameter> = object("PoolUpdatePropertiesParameter", {
  startTask: optional(startTask),
  certificateReferences: optional(NO_CERTIFICATES),
  applicationPackageReferences: optional(applicationPackageReferences),
  metadata: optional(metadata),
  targetNodeCommunicationMode: optional(enumOf(MODES)),
});
