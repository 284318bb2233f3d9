/**
 * The Azure backend speaks api-version 2022-10-01.16.0 through @azure/batch 10.2.0, which has no
 * call for Nodes_StartNode or Nodes_DeallocateNode (api-version 2024-07-01.20.0): it says so with
 * a BatchError instead of calling anything.
 */
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { describe, expect, it } from "vitest";
import { AzureComputeNodeOperations } from "../../../src/backends/azure/azure-compute-node-operations.js";
import { rejectionOf } from "../../support/rejection-of.js";

describe("the Azure backend's start and deallocate", () => {
  const client = new BatchServiceClient(new BatchSharedKeyCredentials("account", Buffer.from("key").toString("base64")), "http://127.0.0.1:9");
  const nodes = new AzureComputeNodeOperations(client);

  it("refuse with 400 UnsupportedOperation naming the operation and the SDK", async () => {
    for (const [call, operation] of [
      [() => nodes.deallocate(), "Nodes_DeallocateNode"],
      [() => nodes.start(), "Nodes_StartNode"],
    ] as const) {
      const error = await rejectionOf(call());
      expect(error).toMatchObject({ statusCode: 400, code: "UnsupportedOperation" });
      expect(error.message).toContain(operation);
      expect(error.message).toContain("@azure/batch 10.2.0");
    }
  });
});
