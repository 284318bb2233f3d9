import type { ComputeNodeOperations } from "../../../core/backend.js";
import type { ComputeNode } from "../../../core/models/index.js";
import type { LocalContext } from "./local-context.js";

export class LocalComputeNodeOperations implements ComputeNodeOperations {
  constructor(private readonly ctx: LocalContext) {}

  async list(poolId: string): Promise<ComputeNode[]> {
    return [...this.ctx.state.poolRecord(poolId).nodes.values()].map((record) => structuredClone(record.node));
  }

  async get(poolId: string, nodeId: string): Promise<ComputeNode> {
    return structuredClone(this.ctx.state.nodeRecord(poolId, nodeId).node);
  }
}
