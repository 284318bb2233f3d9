import type { FileOperations } from "../../../core/backend.js";
import { BatchErrors } from "../../../core/batch-errors.js";
import type { FileByteRange, NodeFile, NodeFileContent } from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import { taskDirectory } from "../execution/node-layout.js";
import { entityUrl } from "../services/entity-urls.js";
import type { LocalContext } from "../services/local-context.js";
import { filesExpired } from "../services/task-retention.js";
import { NodeFileTree } from "./node-file-tree.js";
import { NodeRootFs } from "./node-root-fs.js";
import { jobPoolId } from "../../../core/job-pool.js";

/** Task and node files, read from the node directories kept on the host. */
export class LocalFileOperations implements FileOperations {
  constructor(private readonly ctx: LocalContext) {}

  private taskTree(jobId: string, taskId: string): NodeFileTree | undefined {
    const job = this.ctx.state.jobRecord(jobId);
    const record = this.ctx.state.taskRecord(jobId, taskId);
    if (filesExpired(record.task, this.ctx.clock.now())) throw BatchErrors.taskFilesUnavailable(taskId);
    const node = record.nodeId ? this.ctx.state.pools.get(idKey(jobPoolId(job.job) ?? ""))?.nodes.get(record.nodeId) : undefined;
    if (!node) return undefined;
    const taskDir = taskDirectory(job.job.id, record.task.id);
    // Bounded by the node root, not the task directory: a link to the shared directory reads as on a node.
    return new NodeFileTree(
      new NodeRootFs(node.hostRoot),
      taskDir,
      entityUrl(this.ctx.settings.accountUrl, "jobs", job.job.id, "tasks", record.task.id, "files"),
    );
  }

  private nodeTree(poolId: string, nodeId: string): NodeFileTree {
    const node = this.ctx.state.nodeRecord(poolId, nodeId);
    return new NodeFileTree(new NodeRootFs(node.hostRoot), "", entityUrl(this.ctx.settings.accountUrl, "pools", node.poolId, "nodes", nodeId, "files"));
  }

  async listFromTask(jobId: string, taskId: string, options: { recursive?: boolean } = {}): Promise<NodeFile[]> {
    return (await this.taskTree(jobId, taskId)?.list(options.recursive ?? false)) ?? [];
  }

  async openFromTask(jobId: string, taskId: string, filePath: string, range?: FileByteRange): Promise<NodeFileContent> {
    const tree = this.taskTree(jobId, taskId);
    if (!tree) throw BatchErrors.fileNotFound(filePath);
    return tree.open(filePath, range);
  }

  async getFromTask(jobId: string, taskId: string, filePath: string): Promise<Buffer> {
    const tree = this.taskTree(jobId, taskId);
    if (!tree) throw BatchErrors.fileNotFound(filePath);
    return tree.read(filePath);
  }

  async getPropertiesFromTask(jobId: string, taskId: string, filePath: string): Promise<NodeFile> {
    const tree = this.taskTree(jobId, taskId);
    if (!tree) throw BatchErrors.fileNotFound(filePath);
    return tree.properties(filePath);
  }

  async listFromComputeNode(poolId: string, nodeId: string, options: { recursive?: boolean } = {}): Promise<NodeFile[]> {
    return this.nodeTree(poolId, nodeId).list(options.recursive ?? false);
  }

  async openFromComputeNode(poolId: string, nodeId: string, filePath: string, range?: FileByteRange): Promise<NodeFileContent> {
    return this.nodeTree(poolId, nodeId).open(filePath, range);
  }

  async getFromComputeNode(poolId: string, nodeId: string, filePath: string): Promise<Buffer> {
    return this.nodeTree(poolId, nodeId).read(filePath);
  }

  async getPropertiesFromComputeNode(poolId: string, nodeId: string, filePath: string): Promise<NodeFile> {
    return this.nodeTree(poolId, nodeId).properties(filePath);
  }

  async deleteFromTask(jobId: string, taskId: string, filePath: string, options: { recursive?: boolean } = {}): Promise<void> {
    const tree = this.taskTree(jobId, taskId);
    if (!tree) throw BatchErrors.fileNotFound(filePath);
    await tree.delete(filePath, options.recursive ?? false);
  }

  async deleteFromComputeNode(poolId: string, nodeId: string, filePath: string, options: { recursive?: boolean } = {}): Promise<void> {
    await this.nodeTree(poolId, nodeId).delete(filePath, options.recursive ?? false);
  }
}
