import type { AutoScaleRun } from "./autoscale.js";
import type { EnvironmentSetting, MetadataItem, ResourceFile, TaskContainerSettings, UserIdentity } from "./common.js";

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

export interface VirtualMachineConfiguration {
  imageReference: ImageReference;
  nodeAgentSKUId: string;
  containerConfiguration?: ContainerConfiguration;
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
  targetNodeCommunicationMode?: "default" | "classic" | "simplified";
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

export interface PoolResizeParameter {
  targetDedicatedNodes?: number;
  targetLowPriorityNodes?: number;
  resizeTimeout?: string;
  nodeDeallocationOption?: "requeue" | "terminate" | "taskcompletion" | "retaineddata";
}
