import { buffer } from "node:stream/consumers";
import type { BatchServiceClient } from "@azure/batch";
import type { FileOperations } from "../../core/backend.js";
import { BatchError } from "../../core/batch-error.js";
import { BatchErrors } from "../../core/batch-errors.js";
import type { FileByteRange, NodeFile, NodeFileContent } from "../../core/models/index.js";
import { downloadedContent, ocpRangeOption } from "./file-download.js";
import { listAll } from "./list-pages.js";
import { nodeFileFromHeaders } from "./node-file-headers.js";
import { callService } from "./rest-error-mapping.js";

/**
 * A file download or `HEAD` that failed with 404 carries no error body (the SDK streams the
 * body of a download and a `HEAD` has none), so it does not say what is missing. Asking for the
 * task or node tells: its own `TaskNotFound`/`JobNotFound`/`NodeNotFound`/`PoolNotFound`, or,
 * when it exists, `FileNotFound`.
 */
async function missing<T>(filePath: string, call: () => Promise<T>, parentExists: () => Promise<unknown>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof BatchError) || error.statusCode !== 404 || error.code !== "ResourceNotFound") throw error;
    await parentExists();
    throw BatchErrors.fileNotFound(filePath);
  }
}

/** Task and node files through `client.file`. */
export class AzureFileOperations implements FileOperations {
  constructor(private readonly client: BatchServiceClient) {}

  listFromTask(jobId: string, taskId: string, options: { recursive?: boolean } = {}): Promise<NodeFile[]> {
    return callService(`Listing the files of task '${taskId}' of job '${jobId}'`, () =>
      listAll<NodeFile>(
        () => this.client.file.listFromTask(jobId, taskId, { recursive: options.recursive ?? false }),
        (link) => this.client.file.listFromTaskNext(link),
      ),
    );
  }

  openFromTask(jobId: string, taskId: string, filePath: string, range?: FileByteRange): Promise<NodeFileContent> {
    return missing(
      filePath,
      () =>
        callService(`Reading '${filePath}' of task '${taskId}'`, async () =>
          downloadedContent(await this.client.file.getFromTask(jobId, taskId, filePath, { fileGetFromTaskOptions: ocpRangeOption(range) })),
        ),
      () => this.taskExists(jobId, taskId),
    );
  }

  async getFromTask(jobId: string, taskId: string, filePath: string): Promise<Buffer> {
    const { stream } = await this.openFromTask(jobId, taskId, filePath);
    return callService(`Reading '${filePath}' of task '${taskId}'`, () => buffer(stream));
  }

  getPropertiesFromTask(jobId: string, taskId: string, filePath: string): Promise<NodeFile> {
    return missing(
      filePath,
      () =>
        callService(`Reading the properties of '${filePath}' of task '${taskId}'`, async () =>
          nodeFileFromHeaders(filePath, await this.client.file.getPropertiesFromTask(jobId, taskId, filePath)),
        ),
      () => this.taskExists(jobId, taskId),
    );
  }

  listFromComputeNode(poolId: string, nodeId: string, options: { recursive?: boolean } = {}): Promise<NodeFile[]> {
    return callService(`Listing the files of node '${nodeId}' of pool '${poolId}'`, () =>
      listAll<NodeFile>(
        () => this.client.file.listFromComputeNode(poolId, nodeId, { recursive: options.recursive ?? false }),
        (link) => this.client.file.listFromComputeNodeNext(link),
      ),
    );
  }

  openFromComputeNode(poolId: string, nodeId: string, filePath: string, range?: FileByteRange): Promise<NodeFileContent> {
    return missing(
      filePath,
      () =>
        callService(`Reading '${filePath}' of node '${nodeId}'`, async () =>
          downloadedContent(await this.client.file.getFromComputeNode(poolId, nodeId, filePath, { fileGetFromComputeNodeOptions: ocpRangeOption(range) })),
        ),
      () => this.nodeExists(poolId, nodeId),
    );
  }

  async getFromComputeNode(poolId: string, nodeId: string, filePath: string): Promise<Buffer> {
    const { stream } = await this.openFromComputeNode(poolId, nodeId, filePath);
    return callService(`Reading '${filePath}' of node '${nodeId}'`, () => buffer(stream));
  }

  getPropertiesFromComputeNode(poolId: string, nodeId: string, filePath: string): Promise<NodeFile> {
    return missing(
      filePath,
      () =>
        callService(`Reading the properties of '${filePath}' of node '${nodeId}'`, async () =>
          nodeFileFromHeaders(filePath, await this.client.file.getPropertiesFromComputeNode(poolId, nodeId, filePath)),
        ),
      () => this.nodeExists(poolId, nodeId),
    );
  }

  private taskExists(jobId: string, taskId: string): Promise<unknown> {
    return callService(`Getting task '${taskId}' of job '${jobId}'`, () => this.client.task.get(jobId, taskId, { taskGetOptions: { select: "id" } }));
  }

  private nodeExists(poolId: string, nodeId: string): Promise<unknown> {
    return callService(`Getting node '${nodeId}' of pool '${poolId}'`, () =>
      this.client.computeNode.get(poolId, nodeId, { computeNodeGetOptions: { select: "id" } }),
    );
  }

  async deleteFromTask(jobId: string, taskId: string, filePath: string, options: { recursive?: boolean } = {}): Promise<void> {
    await callService(`Deleting '${filePath}' of task '${taskId}'`, () =>
      this.client.file.deleteFromTask(jobId, taskId, filePath, { recursive: options.recursive ?? false }),
    );
  }

  async deleteFromComputeNode(poolId: string, nodeId: string, filePath: string, options: { recursive?: boolean } = {}): Promise<void> {
    await callService(`Deleting '${filePath}' of node '${nodeId}'`, () =>
      this.client.file.deleteFromComputeNode(poolId, nodeId, filePath, { recursive: options.recursive ?? false }),
    );
  }
}
