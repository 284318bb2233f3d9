import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import type { ComputeNodeOperations } from "../../core/backend.js";
import { BatchErrors } from "../../core/batch-errors.js";
import type {
  ComputeNode,
  ComputeNodeGetRemoteLoginSettingsResult,
  ComputeNodeRebootOption,
  ComputeNodeUser,
  DisableComputeNodeSchedulingOption,
  NodeUpdateUserParameter,
  NodeVMExtension,
  UploadBatchServiceLogsConfiguration,
  UploadBatchServiceLogsResult,
} from "../../core/models/index.js";
import { listAll } from "./list-pages.js";
import { callService } from "./rest-error-mapping.js";
import { fromSdk, toSdk } from "./sdk-models.js";

/** Compute nodes through `client.computeNode` and `client.computeNodeExtension`. */
export class AzureComputeNodeOperations implements ComputeNodeOperations {
  constructor(private readonly client: BatchServiceClient) {}

  list(poolId: string): Promise<ComputeNode[]> {
    return callService(`Listing the nodes of pool '${poolId}'`, () =>
      listAll<ComputeNode>(
        () => this.client.computeNode.list(poolId),
        (link) => this.client.computeNode.listNext(link),
      ),
    );
  }

  get(poolId: string, nodeId: string): Promise<ComputeNode> {
    return callService(`Getting node '${nodeId}' of pool '${poolId}'`, async () => fromSdk<ComputeNode>(await this.client.computeNode.get(poolId, nodeId)));
  }

  async reboot(poolId: string, nodeId: string, option?: ComputeNodeRebootOption): Promise<void> {
    await callService(`Rebooting node '${nodeId}' of pool '${poolId}'`, () =>
      this.client.computeNode.reboot(poolId, nodeId, option ? { nodeRebootOption: option } : {}),
    );
  }

  async reimage(poolId: string, nodeId: string, option?: ComputeNodeRebootOption): Promise<void> {
    await callService(`Reimaging node '${nodeId}' of pool '${poolId}'`, () =>
      this.client.computeNode.reimage(poolId, nodeId, option ? { nodeReimageOption: option } : {}),
    );
  }

  /** Nodes_DeallocateNode came with api-version 2024-07-01.20.0: @azure/batch 10.2.0 cannot call it. */
  deallocate(): Promise<void> {
    return Promise.reject(BatchErrors.operationNotInAzureSdk("Nodes_DeallocateNode (ComputeNode_Deallocate)", "2024-07-01.20.0"));
  }

  /** Nodes_StartNode came with api-version 2024-07-01.20.0: @azure/batch 10.2.0 cannot call it. */
  start(): Promise<void> {
    return Promise.reject(BatchErrors.operationNotInAzureSdk("Nodes_StartNode (ComputeNode_Start)", "2024-07-01.20.0"));
  }

  async disableScheduling(poolId: string, nodeId: string, option?: DisableComputeNodeSchedulingOption): Promise<void> {
    await callService(`Disabling scheduling on node '${nodeId}' of pool '${poolId}'`, () =>
      this.client.computeNode.disableScheduling(poolId, nodeId, option ? { nodeDisableSchedulingOption: option } : {}),
    );
  }

  async enableScheduling(poolId: string, nodeId: string): Promise<void> {
    await callService(`Enabling scheduling on node '${nodeId}' of pool '${poolId}'`, () => this.client.computeNode.enableScheduling(poolId, nodeId));
  }

  getRemoteLoginSettings(poolId: string, nodeId: string): Promise<ComputeNodeGetRemoteLoginSettingsResult> {
    return callService(`Getting the remote login settings of node '${nodeId}' of pool '${poolId}'`, async () => {
      const { remoteLoginIPAddress, remoteLoginPort } = await this.client.computeNode.getRemoteLoginSettings(poolId, nodeId);
      return { remoteLoginIPAddress, remoteLoginPort };
    });
  }

  uploadBatchServiceLogs(poolId: string, nodeId: string, configuration: UploadBatchServiceLogsConfiguration): Promise<UploadBatchServiceLogsResult> {
    const sdkConfiguration: BatchServiceModels.UploadBatchServiceLogsConfiguration = {
      containerUrl: configuration.containerUrl,
      startTime: new Date(configuration.startTime),
      ...(configuration.endTime === undefined ? {} : { endTime: new Date(configuration.endTime) }),
    };
    return callService(`Uploading the Batch service logs of node '${nodeId}' of pool '${poolId}'`, async () => {
      const { virtualDirectoryName, numberOfFilesUploaded } = await this.client.computeNode.uploadBatchServiceLogs(poolId, nodeId, sdkConfiguration);
      return { virtualDirectoryName, numberOfFilesUploaded };
    });
  }

  listExtensions(poolId: string, nodeId: string): Promise<NodeVMExtension[]> {
    return callService(`Listing the extensions of node '${nodeId}' of pool '${poolId}'`, () =>
      listAll<NodeVMExtension>(
        () => this.client.computeNodeExtension.list(poolId, nodeId),
        (link) => this.client.computeNodeExtension.listNext(link),
      ),
    );
  }

  getExtension(poolId: string, nodeId: string, extensionName: string): Promise<NodeVMExtension> {
    return callService(`Getting extension '${extensionName}' of node '${nodeId}' of pool '${poolId}'`, async () =>
      fromSdk<NodeVMExtension>(await this.client.computeNodeExtension.get(poolId, nodeId, extensionName)),
    );
  }

  addUser(poolId: string, nodeId: string, user: ComputeNodeUser): Promise<void> {
    return callService(`Adding user '${user.name}' to node '${nodeId}' of pool '${poolId}'`, async () => {
      await this.client.computeNode.addUser(poolId, nodeId, toSdk<BatchServiceModels.ComputeNodeUser>("ComputeNodeUser", user));
    });
  }

  updateUser(poolId: string, nodeId: string, userName: string, parameter: NodeUpdateUserParameter): Promise<void> {
    return callService(`Updating user '${userName}' of node '${nodeId}' of pool '${poolId}'`, async () => {
      await this.client.computeNode.updateUser(
        poolId,
        nodeId,
        userName,
        toSdk<BatchServiceModels.NodeUpdateUserParameter>("NodeUpdateUserParameter", parameter),
      );
    });
  }

  deleteUser(poolId: string, nodeId: string, userName: string): Promise<void> {
    return callService(`Deleting user '${userName}' of node '${nodeId}' of pool '${poolId}'`, async () => {
      await this.client.computeNode.deleteUser(poolId, nodeId, userName);
    });
  }
}
