import type { ComputeNodeOperations } from "../../../core/backend.js";
import type { ComputeNode, ComputeNodeUser, NodeUpdateUserParameter } from "../../../core/models/index.js";
import type { LocalContext } from "./local-context.js";
import type { NodeUsers } from "./node-users.js";

export class LocalComputeNodeOperations implements ComputeNodeOperations {
  constructor(
    private readonly ctx: LocalContext,
    private readonly users: NodeUsers,
  ) {}

  async list(poolId: string): Promise<ComputeNode[]> {
    return [...this.ctx.state.poolRecord(poolId).nodes.values()].map((record) => structuredClone(record.node));
  }

  async get(poolId: string, nodeId: string): Promise<ComputeNode> {
    return structuredClone(this.ctx.state.nodeRecord(poolId, nodeId).node);
  }

  addUser(poolId: string, nodeId: string, user: ComputeNodeUser): Promise<void> {
    return this.users.add(poolId, nodeId, user);
  }

  updateUser(poolId: string, nodeId: string, userName: string, parameter: NodeUpdateUserParameter): Promise<void> {
    return this.users.update(poolId, nodeId, userName, parameter);
  }

  deleteUser(poolId: string, nodeId: string, userName: string): Promise<void> {
    return this.users.delete(poolId, nodeId, userName);
  }
}
