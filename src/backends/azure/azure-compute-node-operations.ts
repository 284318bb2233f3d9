import type { BatchServiceClient } from "@azure/batch";
import type { ComputeNodeOperations } from "../../core/backend.js";
import type { ComputeNode } from "../../core/models/index.js";
import { listAll } from "./list-pages.js";
import { callService } from "./rest-error-mapping.js";
import { fromSdk } from "./sdk-models.js";

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
}
