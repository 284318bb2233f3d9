import type { BatchService } from "../core/backend.js";
import type { NodeFile } from "../core/models/index.js";
import type { FileEntry } from "./view-models.js";

/** Files larger than this are shown by their tail. */
export const SHOWN_FILE_BYTES = 256 * 1024;

/** A task's or a node's directory, as `segments` name it: `jobs/J/tasks/T` or `pools/P/nodes/N`. */
export type FileOwner = { kind: "task"; jobId: string; taskId: string } | { kind: "node"; poolId: string; nodeId: string };

export function fileOwner(segments: string[]): FileOwner | undefined {
  const [first, id, second, childId, ...rest] = segments;
  if (rest.length > 0 || !id || !childId) return undefined;
  if (first === "jobs" && second === "tasks") return { kind: "task", jobId: id, taskId: childId };
  if (first === "pools" && second === "nodes") return { kind: "node", poolId: id, nodeId: childId };
  return undefined;
}

function entry(file: NodeFile): FileEntry {
  return { name: file.name, isDirectory: file.isDirectory, contentLength: file.properties?.contentLength, lastModified: file.properties?.lastModified };
}

/** The directory's files, recursively, through the List files calls. */
export async function listFiles(service: BatchService, owner: FileOwner): Promise<FileEntry[]> {
  const files =
    owner.kind === "task"
      ? await service.file.listFromTask(owner.jobId, owner.taskId, { recursive: true })
      : await service.file.listFromComputeNode(owner.poolId, owner.nodeId, { recursive: true });
  return files.map(entry).sort((a, b) => a.name.localeCompare(b.name));
}

/** A file's text (its last SHOWN_FILE_BYTES), through the Get file properties and ranged Get file calls. */
export async function readFileTail(service: BatchService, owner: FileOwner, filePath: string): Promise<{ text: string; truncated: boolean; length: number }> {
  const { file } = service;
  const properties =
    owner.kind === "task"
      ? await file.getPropertiesFromTask(owner.jobId, owner.taskId, filePath)
      : await file.getPropertiesFromComputeNode(owner.poolId, owner.nodeId, filePath);
  const length = properties.properties?.contentLength ?? 0;
  if (length === 0) return { text: "", truncated: false, length };
  const range = { start: Math.max(0, length - SHOWN_FILE_BYTES), end: length - 1 };
  const content =
    owner.kind === "task"
      ? await file.openFromTask(owner.jobId, owner.taskId, filePath, range)
      : await file.openFromComputeNode(owner.poolId, owner.nodeId, filePath, range);
  const chunks: Buffer[] = [];
  for await (const chunk of content.stream) chunks.push(chunk as Buffer);
  return { text: Buffer.concat(chunks).toString("utf8"), truncated: range.start > 0, length };
}
