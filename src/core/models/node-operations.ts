/**
 * The parameters and answers of the compute node operations (REST `Nodes_RebootNode`,
 * `Nodes_ReimageNode`, `Nodes_DeallocateNode`, `Nodes_DisableNodeScheduling`,
 * `Nodes_GetNodeRemoteLoginSettings`, `Nodes_UploadNodeLogs`, `Nodes_ListNodeExtensions`), in the
 * REST API's names.
 */

/** `nodeRebootOption`: when to reboot and what happens to the tasks running on the node (default `requeue`). */
export type ComputeNodeRebootOption = "requeue" | "terminate" | "taskcompletion" | "retaineddata";

/** `nodeReimageOption`: the same choices, for a reimage (default `requeue`). */
export type ComputeNodeReimageOption = ComputeNodeRebootOption;

/** `nodeDeallocateOption` (api-version 2024-07-01 and later): the same choices, for a deallocation (default `requeue`). */
export type ComputeNodeDeallocateOption = ComputeNodeRebootOption;

/** `nodeDisableSchedulingOption`: what happens to the running tasks when scheduling is disabled (default `requeue`). */
export type DisableComputeNodeSchedulingOption = "requeue" | "terminate" | "taskcompletion";

/** `GET …/remoteloginsettings`. */
export interface ComputeNodeGetRemoteLoginSettingsResult {
  remoteLoginIPAddress: string;
  remoteLoginPort: number;
}

/** `POST …/uploadbatchservicelogs` (REST `UploadBatchServiceLogsConfiguration`). */
export interface UploadBatchServiceLogsConfiguration {
  /** A container URL with a SAS granting write access. */
  containerUrl: string;
  startTime: string;
  endTime?: string;
}

/** The answer of `uploadbatchservicelogs` (REST `UploadBatchServiceLogsResult`). */
export interface UploadBatchServiceLogsResult {
  /** The virtual directory in the container the logs went to: `{poolId}/{nodeId}/{unique id}`. */
  virtualDirectoryName: string;
  numberOfFilesUploaded: number;
}

/** An extension of a node's VM (REST `NodeVMExtension`). */
export interface NodeVMExtension {
  provisioningState?: string;
  vmExtension?: { name: string; publisher: string; type: string; typeHandlerVersion?: string };
  instanceView?: { name?: string };
}
