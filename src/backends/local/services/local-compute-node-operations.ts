import type { ComputeNodeOperations } from "../../../core/backend.js";
import { BatchErrors } from "../../../core/batch-errors.js";
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
} from "../../../core/models/index.js";
import type { LocalContext } from "./local-context.js";
import type { NodeControl } from "./node-control.js";
import type { NodeProvisioner } from "./node-provisioner.js";
import { uploadNodeServiceLogs } from "./node-service-logs.js";
import type { NodeUsers } from "./node-users.js";

/** The port a Linux node's SSH server listens on, as the service reports it for a node with its own public address. */
const SSH_PORT = 22;

export class LocalComputeNodeOperations implements ComputeNodeOperations {
  constructor(
    private readonly ctx: LocalContext,
    private readonly provisioner: NodeProvisioner,
    private readonly users: NodeUsers,
    private readonly control: NodeControl,
  ) {}

  async list(poolId: string): Promise<ComputeNode[]> {
    return [...this.ctx.state.poolRecord(poolId).nodes.values()].map((record) => structuredClone(record.node));
  }

  async get(poolId: string, nodeId: string): Promise<ComputeNode> {
    return structuredClone(this.ctx.state.nodeRecord(poolId, nodeId).node);
  }

  async reboot(poolId: string, nodeId: string, option?: ComputeNodeRebootOption): Promise<void> {
    this.control.reboot(this.ctx.state.poolRecord(poolId), this.ctx.state.nodeRecord(poolId, nodeId), option);
  }

  async reimage(poolId: string, nodeId: string, option?: ComputeNodeRebootOption): Promise<void> {
    this.control.reimage(this.ctx.state.poolRecord(poolId), this.ctx.state.nodeRecord(poolId, nodeId), option);
  }

  async deallocate(poolId: string, nodeId: string, option?: ComputeNodeRebootOption): Promise<void> {
    this.control.deallocate(this.ctx.state.poolRecord(poolId), this.ctx.state.nodeRecord(poolId, nodeId), option);
  }

  async start(poolId: string, nodeId: string): Promise<void> {
    this.control.start(this.ctx.state.poolRecord(poolId), this.ctx.state.nodeRecord(poolId, nodeId));
  }

  async disableScheduling(poolId: string, nodeId: string, option?: DisableComputeNodeSchedulingOption): Promise<void> {
    this.control.disableScheduling(this.ctx.state.nodeRecord(poolId, nodeId), option);
  }

  async enableScheduling(poolId: string, nodeId: string): Promise<void> {
    this.control.enableScheduling(this.ctx.state.nodeRecord(poolId, nodeId));
  }

  /**
   * Nodes share the host's network (host networking): the node's address is the host's loopback,
   * and the port is SSH's. No SSH server runs in a node container, so what answers there, if
   * anything, is the host's own (README "Node operations"); `docker exec` gives a shell on a node.
   */
  async getRemoteLoginSettings(poolId: string, nodeId: string): Promise<ComputeNodeGetRemoteLoginSettingsResult> {
    const node = this.ctx.state.nodeRecord(poolId, nodeId).node;
    return { remoteLoginIPAddress: node.ipAddress, remoteLoginPort: SSH_PORT };
  }

  async uploadBatchServiceLogs(poolId: string, nodeId: string, configuration: UploadBatchServiceLogsConfiguration): Promise<UploadBatchServiceLogsResult> {
    const record = this.ctx.state.nodeRecord(poolId, nodeId);
    return uploadNodeServiceLogs(record, configuration, this.provisioner.agentLog, this.ctx.clock);
  }

  /** Local pools cannot have VM extensions (they are refused at pool add): every node has none. */
  async listExtensions(poolId: string, nodeId: string): Promise<NodeVMExtension[]> {
    this.ctx.state.nodeRecord(poolId, nodeId);
    return [];
  }

  async getExtension(poolId: string, nodeId: string, extensionName: string): Promise<NodeVMExtension> {
    this.ctx.state.nodeRecord(poolId, nodeId);
    throw BatchErrors.nodeExtensionNotFound(nodeId, extensionName);
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
