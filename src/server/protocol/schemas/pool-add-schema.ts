import type { ContainerConfiguration, ImageReference, PoolAddParameter, StartTask, VirtualMachineConfiguration } from "../../../core/models/index.js";
import { arrayOf, object, optional, readOnly, required, unsupported, type Parser } from "../body-schema.js";
import { boolean, duration, enumOf, integer, string } from "../body-values.js";
import { containerRegistry, environmentSettings, metadata, resourceFiles, taskContainerSettings, userIdentity } from "./common-schemas.js";

/** `POST /pools` (SPEC models.tsp `BatchPoolCreateOptions`; 2017's `maxTasksPerNode` arrives renamed). */

const NOT_A_VM = unsupported("Malachite's nodes are Docker containers, not virtual machines: it has no such VM setting to apply.");

const imageReference: Parser<ImageReference> = object("ImageReference", {
  publisher: optional(string),
  offer: optional(string),
  sku: optional(string),
  version: optional(string),
  virtualMachineImageId: optional(string),
  exactVersion: readOnly(),
  sharedGalleryImageId: NOT_A_VM,
  communityGalleryImageId: NOT_A_VM,
});

const containerConfiguration: Parser<ContainerConfiguration> = object("ContainerConfiguration", {
  type: required(enumOf(["dockerCompatible", "criCompatible", "docker"])),
  containerImageNames: optional(arrayOf(string)),
  containerRegistries: optional(arrayOf(containerRegistry)),
});

const virtualMachineConfiguration: Parser<VirtualMachineConfiguration> = object("VirtualMachineConfiguration", {
  imageReference: required(imageReference),
  nodeAgentSKUId: required(string),
  containerConfiguration: optional(containerConfiguration),
  windowsConfiguration: NOT_A_VM,
  dataDisks: NOT_A_VM,
  licenseType: NOT_A_VM,
  diskEncryptionConfiguration: NOT_A_VM,
  nodePlacementConfiguration: NOT_A_VM,
  extensions: NOT_A_VM,
  osDisk: NOT_A_VM,
  securityProfile: NOT_A_VM,
  serviceArtifactReference: NOT_A_VM,
});

const startTask: Parser<StartTask> = object("StartTask", {
  commandLine: required(string),
  containerSettings: optional(taskContainerSettings),
  resourceFiles: optional(resourceFiles),
  environmentSettings: optional(environmentSettings),
  userIdentity: optional(userIdentity),
  maxTaskRetryCount: optional(integer()),
  waitForSuccess: optional(boolean),
});

export const parsePoolAdd: Parser<PoolAddParameter> = object("PoolAddParameter", {
  id: required(string),
  displayName: optional(string),
  vmSize: required(string),
  virtualMachineConfiguration: optional(virtualMachineConfiguration),
  resizeTimeout: optional(duration),
  targetDedicatedNodes: optional(integer()),
  targetLowPriorityNodes: optional(integer()),
  enableAutoScale: optional(boolean),
  autoScaleFormula: optional(string),
  autoScaleEvaluationInterval: optional(duration),
  enableInterNodeCommunication: optional(boolean),
  startTask: optional(startTask),
  taskSlotsPerNode: optional(integer()),
  taskSchedulingPolicy: optional(object("TaskSchedulingPolicy", { nodeFillType: required(enumOf(["spread", "pack"])) })),
  metadata: optional(metadata),
  targetNodeCommunicationMode: optional(enumOf(["default", "classic", "simplified"])),
  cloudServiceConfiguration: unsupported("Cloud service pools are retired; use virtualMachineConfiguration."),
  networkConfiguration: unsupported(),
  certificateReferences: unsupported(),
  applicationPackageReferences: unsupported(),
  applicationLicenses: unsupported(),
  userAccounts: unsupported(),
  mountConfiguration: unsupported(),
  identity: unsupported(),
  upgradePolicy: unsupported(),
  resourceTags: unsupported(),
  enableAcceleratedNetworking: unsupported(),
});
