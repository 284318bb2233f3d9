import type { BatchService } from "../../core/backend.js";
import type { NodeFile } from "../../core/models/index.js";
import type { BatchRequest, BatchResponse } from "../http/batch-request.js";
import { queryValue } from "../http/batch-request.js";
import type { Router } from "../http/router.js";
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

/** `ocp-range: bytes=a-b` (both ends inclusive, either may be missing). */
function applyRange(request: BatchRequest, content: Buffer): Buffer {
  const range = /^bytes=(\d*)-(\d*)$/.exec(String(request.headers["ocp-range"] ?? ""));
  if (!range || (range[1] === "" && range[2] === "")) return content;
  if (range[1] === "") return content.subarray(Math.max(0, content.length - Number(range[2])));
  return content.subarray(Number(range[1]), range[2] === "" ? undefined : Number(range[2]) + 1);
}

function fileResponse(request: BatchRequest, file: NodeFile, content: Buffer | undefined): BatchResponse {
  const headers = fileHeaders(file);
  if (!content) return { status: 200, headers: { ...headers, "Content-Length": String(file.properties?.contentLength ?? 0) } };
  return { status: 200, headers, raw: applyRange(request, content) };
}

/** Task files (list, get, head) and node files (list, get, head). */
export function addFileRoutes(router: Router, batch: BatchService): void {
  const recursive = (request: BatchRequest) => queryValue(request, "recursive") === "true";
  router
    .add("GET", "/jobs/{jobId}/tasks/{taskId}/files", async (request) =>
      listResponse(request, await batch.file.listFromTask(request.params.jobId, request.params.taskId, { recursive: recursive(request) }), "files"),
    )
    .add("GET", "/jobs/{jobId}/tasks/{taskId}/files/{*filePath}", async (request) => {
      const { jobId, taskId, filePath } = request.params;
      const file = await batch.file.getPropertiesFromTask(jobId, taskId, filePath);
      return fileResponse(request, file, await batch.file.getFromTask(jobId, taskId, filePath));
    })
    .add("HEAD", "/jobs/{jobId}/tasks/{taskId}/files/{*filePath}", async (request) => {
      const { jobId, taskId, filePath } = request.params;
      return fileResponse(request, await batch.file.getPropertiesFromTask(jobId, taskId, filePath), undefined);
    })
    .add("GET", "/pools/{poolId}/nodes/{nodeId}/files", async (request) =>
      listResponse(request, await batch.file.listFromComputeNode(request.params.poolId, request.params.nodeId, { recursive: recursive(request) }), "files"),
    )
    .add("GET", "/pools/{poolId}/nodes/{nodeId}/files/{*filePath}", async (request) => {
      const { poolId, nodeId, filePath } = request.params;
      const file = await batch.file.getPropertiesFromComputeNode(poolId, nodeId, filePath);
      return fileResponse(request, file, await batch.file.getFromComputeNode(poolId, nodeId, filePath));
    })
    .add("HEAD", "/pools/{poolId}/nodes/{nodeId}/files/{*filePath}", async (request) => {
      const { poolId, nodeId, filePath } = request.params;
      return fileResponse(request, await batch.file.getPropertiesFromComputeNode(poolId, nodeId, filePath), undefined);
    });
}
