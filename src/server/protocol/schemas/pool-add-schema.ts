import type {
  ContainerConfiguration,
  DataDisk,
  ImageReference,
  MountConfiguration,
  OSDisk,
  PoolAddParameter,
  SecurityProfile,
  StartTask,
  VirtualMachineConfiguration,
} from "../../../core/models/index.js";
import {
  CACHING_TYPES,
  DISK_ENCRYPTION_TARGETS,
  EPHEMERAL_OS_DISK_PLACEMENTS,
  NODE_PLACEMENT_POLICIES,
  SECURITY_ENCRYPTION_TYPES,
  SECURITY_TYPES,
  STORAGE_ACCOUNT_TYPES,
  UNEMULATED_IMAGE_PROPERTIES,
  UNEMULATED_VM_PROPERTIES,
} from "../../../core/validation/validate-vm-configuration.js";
import { UNEMULATED_MOUNT_PROPERTIES } from "../../../core/validation/validate-mount-configuration.js";
import { arrayOf, object, optional, readOnly, required, unsupported, type Parser, type Shape } from "../body-schema.js";
import { boolean, duration, enumOf, integer, string } from "../body-values.js";
import {
  applicationPackageReferences,
  containerRegistry,
  environmentSettings,
  metadata,
  resourceFiles,
  taskContainerSettings,
  userIdentity,
} from "./common-schemas.js";
import { userAccount } from "./node-user-schemas.js";

/** `POST /pools` (SPEC models.tsp `BatchPoolCreateOptions`; 2017's `maxTasksPerNode` arrives renamed). */

const imageReference: Parser<ImageReference> = object("ImageReference", {
  publisher: optional(string),
  offer: optional(string),
  sku: optional(string),
  version: optional(string),
  virtualMachineImageId: optional(string),
  exactVersion: readOnly(),
  sharedGalleryImageId: unsupported(UNEMULATED_IMAGE_PROPERTIES.sharedGalleryImageId),
  communityGalleryImageId: unsupported(UNEMULATED_IMAGE_PROPERTIES.communityGalleryImageId),
});

const containerConfiguration: Parser<ContainerConfiguration> = object("ContainerConfiguration", {
  type: required(enumOf(["dockerCompatible", "criCompatible", "docker"])),
  containerImageNames: optional(arrayOf(string)),
  containerRegistries: optional(arrayOf(containerRegistry)),
});

// Disks, placement, encryption and security describe the VM of a real node: kept, no local effect.
const dataDisk: Parser<DataDisk> = object("DataDisk", {
  lun: required(integer()),
  caching: optional(enumOf(CACHING_TYPES)),
  diskSizeGB: required(integer()),
  storageAccountType: optional(enumOf(STORAGE_ACCOUNT_TYPES)),
});

const osDisk: Parser<OSDisk> = object("OSDisk", {
  ephemeralOSDiskSettings: optional(object("DiffDiskSettings", { placement: optional(enumOf(EPHEMERAL_OS_DISK_PLACEMENTS)) })),
  caching: optional(enumOf(CACHING_TYPES)),
  diskSizeGB: optional(integer()),
  managedDisk: optional(
    object("ManagedDisk", {
      storageAccountType: optional(enumOf(STORAGE_ACCOUNT_TYPES)),
      securityProfile: optional(object("VMDiskSecurityProfile", { securityEncryptionType: optional(enumOf(SECURITY_ENCRYPTION_TYPES)) })),
    }),
  ),
  writeAcceleratorEnabled: optional(boolean),
});

const securityProfile: Parser<SecurityProfile> = object("SecurityProfile", {
  encryptionAtHost: optional(boolean),
  securityType: optional(enumOf(SECURITY_TYPES)),
  uefiSettings: optional(object("UefiSettings", { secureBootEnabled: optional(boolean), vTpmEnabled: optional(boolean) })),
});

export const virtualMachineConfiguration: Parser<VirtualMachineConfiguration> = object("VirtualMachineConfiguration", {
  imageReference: required(imageReference),
  nodeAgentSKUId: required(string),
  containerConfiguration: optional(containerConfiguration),
  dataDisks: optional(arrayOf(dataDisk)),
  osDisk: optional(osDisk),
  nodePlacementConfiguration: optional(object("NodePlacementConfiguration", { policy: optional(enumOf(NODE_PLACEMENT_POLICIES)) })),
  securityProfile: optional(securityProfile),
  diskEncryptionConfiguration: optional(object("DiskEncryptionConfiguration", { targets: optional(arrayOf(enumOf(DISK_ENCRYPTION_TARGETS))) })),
  windowsConfiguration: unsupported(UNEMULATED_VM_PROPERTIES.windowsConfiguration),
  licenseType: unsupported(UNEMULATED_VM_PROPERTIES.licenseType),
  extensions: unsupported(UNEMULATED_VM_PROPERTIES.extensions),
  serviceArtifactReference: unsupported(UNEMULATED_VM_PROPERTIES.serviceArtifactReference),
});

/** Blob containers are mounted (a local mirror); the other kinds are refused by their full path. */
const mountConfiguration: Parser<MountConfiguration> = object("MountConfiguration", {
  azureBlobFileSystemConfiguration: optional(
    object("AzureBlobFileSystemConfiguration", {
      accountName: required(string),
      containerName: required(string),
      accountKey: optional(string),
      sasKey: optional(string),
      blobfuseOptions: optional(string),
      relativeMountPath: required(string),
      identityReference: optional(object("ComputeNodeIdentityReference", { resourceId: optional(string) })),
    }),
  ),
  nfsMountConfiguration: unsupported(UNEMULATED_MOUNT_PROPERTIES.nfsMountConfiguration),
  cifsMountConfiguration: unsupported(UNEMULATED_MOUNT_PROPERTIES.cifsMountConfiguration),
  azureFileShareConfiguration: unsupported(UNEMULATED_MOUNT_PROPERTIES.azureFileShareConfiguration),
});

export const startTask: Parser<StartTask> = object("StartTask", {
  commandLine: required(string),
  containerSettings: optional(taskContainerSettings),
  resourceFiles: optional(resourceFiles),
  environmentSettings: optional(environmentSettings),
  userIdentity: optional(userIdentity),
  maxTaskRetryCount: optional(integer()),
  waitForSuccess: optional(boolean),
});

/** A pool add's properties but its id: also an auto pool's `pool` (SPEC `BatchPoolSpecification`), parsed by the same parsers. */
export const poolProperties = {
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
  applicationPackageReferences: optional(applicationPackageReferences),
  applicationLicenses: unsupported(),
  userAccounts: optional(arrayOf(userAccount)),
  mountConfiguration: optional(arrayOf(mountConfiguration)),
  identity: unsupported(),
  upgradePolicy: unsupported(),
  resourceTags: unsupported(),
  enableAcceleratedNetworking: unsupported(),
} satisfies Shape;

export const parsePoolAdd: Parser<PoolAddParameter> = object("PoolAddParameter", { id: required(string), ...poolProperties });
