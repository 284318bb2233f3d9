import type { BatchService } from "../../src/core/backend.js";
import { waitFor } from "./settle.js";

/** Adds a pool of one dedicated node and resolves with the node's id once it is idle. */
export async function poolOfOneIdleNode(batch: BatchService, poolId: string): Promise<string> {
  await batch.pool.add({ id: poolId, vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
  const node = await waitFor(async () => {
    const list = await batch.computeNode.list(poolId);
    return list.length === 1 && list[0]?.state === "idle" && list[0];
  });
  return node.id;
}
