import type { BatchService } from "../../core/backend.js";
import type { FileByteRange, NodeFile, NodeFileContent } from "../../core/models/index.js";
import type { BatchRequest, BatchResponse } from "../http/batch-request.js";
import { queryValue } from "../http/batch-request.js";
import { streamStarted } from "../http/stream-start.js";
import type { Router } from "../http/router.js";
import { OCP_RANGE, parseOcpRange, resolveRange } from "../protocol/ocp-range.js";
import { booleanQuery } from "../protocol/boolean-query.js";
import { listResponse } from "../protocol/responses.js";

function fileHeaders(file: NodeFile): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Type": "application/octet-stream",
    "Last-Modified": new Date(file.properties?.lastModified ?? Date.now()).toUTCString(),
    "ocp-batch-file-isdirectory": String(file.isDirectory),
  };
  if (file.url) headers["ocp-batch-file-url"] = encodeURIComponent(file.url);
  if (file.properties?.fileMode) headers["ocp-batch-file-mode"] = file.properties.fileMode;
  if (file.properties?.creationTime) headers["ocp-creation-time"] = new Date(file.properties.creationTime).toUTCString();
  return headers;
}

/** A file's headers with no body (HEAD): its length from the properties. */
function propertiesResponse(file: NodeFile): BatchResponse {
  return { status: 200, headers: { ...fileHeaders(file), "Content-Length": String(file.properties?.contentLength ?? 0) } };
}

/**
 * A file GET: the `ocp-range` header checked before anything is read (a malformed one is a 400
 * even for a file that does not exist), then against the file's size (416 past its end), then the
 * content, whole or the range of it, streamed from the backend as it is read: memory stays flat
 * whatever the file's size. The answer is 200 either way, as the service answers. The status line
 * waits for the first bytes, so a file that cannot be read is still answered with an error.
 */
async function fileResponse(
  request: BatchRequest,
  properties: () => Promise<NodeFile>,
  open: (range?: FileByteRange) => Promise<NodeFileContent>,
): Promise<BatchResponse> {
  const range = parseOcpRange(request.headers[OCP_RANGE]);
  const file = await properties();
  const bytes = range ? resolveRange(range, file.properties?.contentLength ?? 0) : undefined;
  const content = await open(bytes);
  try {
    await streamStarted(content.stream);
  } catch (error) {
    content.stream.destroy();
    throw error;
  }
  const headers = fileHeaders(file);
  if (content.length !== undefined) headers["Content-Length"] = String(content.length);
  return { status: 200, headers, stream: content.stream };
}

/** Task files (list, get, head, delete) and node files (list, get, head, delete). */
export function addFileRoutes(router: Router, batch: BatchService): void {
  const recursive = (request: BatchRequest) => queryValue(request, "recursive") === "true";
  router
    .add("GET", "/jobs/{jobId}/tasks/{taskId}/files", async (request) =>
      listResponse(request, await batch.file.listFromTask(request.params.jobId, request.params.taskId, { recursive: recursive(request) }), "files"),
    )
    .add("GET", "/jobs/{jobId}/tasks/{taskId}/files/{*filePath}", async (request) => {
      const { jobId, taskId, filePath } = request.params;
      return fileResponse(
        request,
        () => batch.file.getPropertiesFromTask(jobId, taskId, filePath),
        (range) => batch.file.openFromTask(jobId, taskId, filePath, range),
      );
    })
    .add("HEAD", "/jobs/{jobId}/tasks/{taskId}/files/{*filePath}", async (request) => {
      const { jobId, taskId, filePath } = request.params;
      return propertiesResponse(await batch.file.getPropertiesFromTask(jobId, taskId, filePath));
    })
    .add("GET", "/pools/{poolId}/nodes/{nodeId}/files", async (request) =>
      listResponse(request, await batch.file.listFromComputeNode(request.params.poolId, request.params.nodeId, { recursive: recursive(request) }), "files"),
    )
    .add("GET", "/pools/{poolId}/nodes/{nodeId}/files/{*filePath}", async (request) => {
      const { poolId, nodeId, filePath } = request.params;
      return fileResponse(
        request,
        () => batch.file.getPropertiesFromComputeNode(poolId, nodeId, filePath),
        (range) => batch.file.openFromComputeNode(poolId, nodeId, filePath, range),
      );
    })
    .add("HEAD", "/pools/{poolId}/nodes/{nodeId}/files/{*filePath}", async (request) => {
      const { poolId, nodeId, filePath } = request.params;
      return propertiesResponse(await batch.file.getPropertiesFromComputeNode(poolId, nodeId, filePath));
    })
    .add("DELETE", "/jobs/{jobId}/tasks/{taskId}/files/{*filePath}", async (request) => {
      const { jobId, taskId, filePath } = request.params;
      await batch.file.deleteFromTask(jobId, taskId, filePath, { recursive: booleanQuery(request, "recursive") ?? false });
      return { status: 200 };
    })
    .add("DELETE", "/pools/{poolId}/nodes/{nodeId}/files/{*filePath}", async (request) => {
      const { poolId, nodeId, filePath } = request.params;
      await batch.file.deleteFromComputeNode(poolId, nodeId, filePath, { recursive: booleanQuery(request, "recursive") ?? false });
      return { status: 200 };
    });
}
