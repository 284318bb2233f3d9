import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import type { ComputeNodeOperations } from "../../core/backend.js";
import type { ComputeNode, ComputeNodeUser, NodeUpdateUserParameter } from "../../core/models/index.js";
import { listAll } from "./list-pages.js";
import { callService } from "./rest-error-mapping.js";
import { fromSdk, toSdk } from "./sdk-models.js";

/** Compute nodes through `client.computeNode`. */
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
