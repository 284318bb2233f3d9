import type { PoolStatistics } from "./statistics.js";
import type { ApplicationPackageReference } from "./application.js";
import type { AutoScaleRun } from "./autoscale.js";
import type { EnvironmentSetting, MetadataItem, ResourceFile, TaskContainerSettings, UserIdentity } from "./common.js";
import type { UserAccount } from "./node-user.js";

export interface ImageReference {
  publisher?: string;
  offer?: string;
  sku?: string;
  version?: string;
  virtualMachineImageId?: string;
}

export interface ContainerRegistry {
  registryServer?: string;
  username?: string;
  password?: string;
}

export interface ContainerConfiguration {
  /** `docker` is the 2017 api-version's spelling of `dockerCompatible`. */
  type: "dockerCompatible" | "criCompatible" | "docker";
  containerImageNames?: string[];
  containerRegistries?: ContainerRegistry[];
}

export type CachingType = "none" | "readonly" | "readwrite";
export type StorageAccountType = "standard_lrs" | "premium_lrs" | "standardssd_lrs";

/** A data disk of each node's VM: kept and reported back, no local effect. */
export interface DataDisk {
  lun: number;
  caching?: CachingType;
  diskSizeGB: number;
  storageAccountType?: StorageAccountType;
}

/** The OS disk of each node's VM: kept and reported back, no local effect. */
export interface OSDisk {
  ephemeralOSDiskSettings?: { placement?: "cachedisk" };
  caching?: CachingType;
  diskSizeGB?: number;
  managedDisk?: { storageAccountType?: StorageAccountType; securityProfile?: { securityEncryptionType?: "NonPersistedTPM" | "VMGuestStateOnly" } };
  writeAcceleratorEnabled?: boolean;
}

/** Trusted launch / confidential VM settings: kept and reported back, no local effect. */
export interface SecurityProfile {
  encryptionAtHost?: boolean;
  securityType?: "trustedLaunch" | "confidentialVM";
  uefiSettings?: { secureBootEnabled?: boolean; vTpmEnabled?: boolean };
}

export interface VirtualMachineConfiguration {
  imageReference: ImageReference;
  nodeAgentSKUId: string;
  containerConfiguration?: ContainerConfiguration;
  dataDisks?: DataDisk[];
  osDisk?: OSDisk;
  nodePlacementConfiguration?: { policy?: "regional" | "zonal" };
  securityProfile?: SecurityProfile;
  diskEncryptionConfiguration?: { targets?: ("osdisk" | "temporarydisk")[] };
}

/**
 * A blob container mounted on every node at `$AZ_BATCH_NODE_MOUNTS_DIR/<relativeMountPath>`. The
 * keys are credentials: never stored, returned or logged.
 */
export interface AzureBlobFileSystemConfiguration {
  accountName: string;
  containerName: string;
  accountKey?: string;
  sasKey?: string;
  blobfuseOptions?: string;
  relativeMountPath: string;
  identityReference?: { resourceId?: string };
}

/** One file system mounted on every node of a pool; Malachite mounts blob containers only. */
export interface MountConfiguration {
  azureBlobFileSystemConfiguration?: AzureBlobFileSystemConfiguration;
}

/** The task every node runs when it joins the pool (and after a reboot or reimage). */
export interface StartTask {
  commandLine: string;
  containerSettings?: TaskContainerSettings;
  resourceFiles?: ResourceFile[];
  environmentSettings?: EnvironmentSetting[];
  userIdentity?: UserIdentity;
  /** Retries after a non-zero exit; 0 by default, -1 for no limit. */
  maxTaskRetryCount?: number;
  /** When true (the default), no task is scheduled on the node before the start task succeeded. */
  waitForSuccess?: boolean;
}

export type NodeFillType = "spread" | "pack";

/** What a client sends to create a pool (`POST /pools`). */
export interface PoolAddParameter {
  id: string;
  displayName?: string;
  vmSize: string;
  virtualMachineConfiguration?: VirtualMachineConfiguration;
  resizeTimeout?: string;
  targetDedicatedNodes?: number;
  targetLowPriorityNodes?: number;
  enableAutoScale?: boolean;
  /** Required with `enableAutoScale`; evaluated at once and then every `autoScaleEvaluationInterval` (PT15M by default). */
  autoScaleFormula?: string;
  autoScaleEvaluationInterval?: string;
  enableInterNodeCommunication?: boolean;
  startTask?: StartTask;
  taskSlotsPerNode?: number;
  taskSchedulingPolicy?: { nodeFillType: NodeFillType };
  metadata?: MetadataItem[];
  /** Accounts created on every node of the pool, before its start task; tasks may run as them (`userIdentity.username`). */
  userAccounts?: UserAccount[];
  mountConfiguration?: MountConfiguration[];
  targetNodeCommunicationMode?: NodeCommunicationMode;
  /** Installed on every node as it joins the pool, or restarts. */
  applicationPackageReferences?: ApplicationPackageReference[];
}

export type NodeCommunicationMode = "default" | "classic" | "simplified";

/**
 * `PATCH /pools/{poolId}` (SPEC models.tsp `BatchPoolUpdateOptions`): what is given replaces the
 * pool's; what is omitted stays. The VM properties may change only while the pool has no nodes.
 */
export interface PoolPatchParameter {
  displayName?: string;
  vmSize?: string;
  enableInterNodeCommunication?: boolean;
  startTask?: StartTask;
  applicationPackageReferences?: ApplicationPackageReference[];
  metadata?: MetadataItem[];
  virtualMachineConfiguration?: VirtualMachineConfiguration;
  targetNodeCommunicationMode?: NodeCommunicationMode;
  taskSlotsPerNode?: number;
  taskSchedulingPolicy?: { nodeFillType: NodeFillType };
}

/**
 * `POST /pools/{poolId}/updateproperties` (SPEC `BatchPoolReplaceOptions`): replaces all of these;
 * an omitted start task is removed, omitted lists become empty, the communication mode `default`.
 */
export interface PoolUpdatePropertiesParameter {
  startTask?: StartTask;
  applicationPackageReferences?: ApplicationPackageReference[];
  metadata?: MetadataItem[];
  targetNodeCommunicationMode?: NodeCommunicationMode;
}

export type PoolState = "active" | "deleting";
export type AllocationState = "steady" | "resizing" | "stopping";

export interface ResizeError {
  code: string;
  message: string;
  values?: { name: string; value: string }[];
}

/** A pool as the service reports it (`GET /pools/{poolId}`). */
export interface CloudPool extends PoolAddParameter {
  url?: string;
  /** Only with `$expand=stats`. */
  stats?: PoolStatistics;
  eTag: string;
  lastModified: string;
  creationTime: string;
  state: PoolState;
  stateTransitionTime: string;
  allocationState: AllocationState;
  allocationStateTransitionTime: string;
  resizeTimeout: string;
  resizeErrors?: ResizeError[];
  currentDedicatedNodes: number;
  currentLowPriorityNodes: number;
  targetDedicatedNodes: number;
  targetLowPriorityNodes: number;
  taskSlotsPerNode: number;
  taskSchedulingPolicy: { nodeFillType: NodeFillType };
  enableAutoScale: boolean;
  /** The last evaluation of the formula, while autoscale is enabled. */
  autoScaleRun?: AutoScaleRun;
  enableInterNodeCommunication: boolean;
}

/** What happens to the tasks running on nodes that leave the pool; `requeue` by default. */
export type ComputeNodeDeallocationOption = "requeue" | "terminate" | "taskcompletion" | "retaineddata";

export interface PoolResizeParameter {
  targetDedicatedNodes?: number;
  targetLowPriorityNodes?: number;
  resizeTimeout?: string;
  nodeDeallocationOption?: ComputeNodeDeallocationOption;
}

/** `POST /pools/{poolId}/removenodes` (REST `NodeRemoveParameter`, `BatchNodeRemoveOptions`): at most 100 nodes. */
export interface NodeRemoveParameter {
  nodeList: string[];
  resizeTimeout?: string;
  nodeDeallocationOption?: ComputeNodeDeallocationOption;
}
