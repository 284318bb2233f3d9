import type { TaskAddParameter, TaskAddResult } from "../../core/models/index.js";

/** The service takes at most this many tasks in one `addtaskcollection` request. */
export const MAX_TASKS_PER_REQUEST = 100;
/** ... and a body under 1 MB; this leaves room for the SDK's serialization to differ in whitespace. */
export const MAX_REQUEST_BYTES = 1_000_000;

/** `{"value":[` and `]}` around the tasks. */
const ENVELOPE_BYTES = Buffer.byteLength('{"value":[]}');

export interface ChunkLimits {
  maxTasks: number;
  maxBytes: number;
}

/**
 * Splits tasks, in order, into requests of at most `maxTasks` tasks whose serialized body stays
 * under `maxBytes`. A task too large on its own travels alone, for the service to judge.
 */
export function chunkTasks<T extends object>(
  tasks: readonly T[],
  limits: ChunkLimits = { maxTasks: MAX_TASKS_PER_REQUEST, maxBytes: MAX_REQUEST_BYTES },
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const task of tasks) {
    const taskBytes = Buffer.byteLength(JSON.stringify(task));
    const full = current.length >= limits.maxTasks || (current.length > 0 && bytes + 1 + taskBytes > limits.maxBytes);
    if (full) {
      chunks.push(current);
      current = [];
      bytes = ENVELOPE_BYTES;
    }
    bytes += taskBytes + (current.length > 0 ? 1 : 0);
    current.push(task);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * The results of one request in the order its tasks were given (the service may answer in any
 * order). Results are matched by task id; of several results for one id (a duplicate in the same
 * request), the success goes to the first occurrence, as the service keeps the first one it adds.
 */
export function inSubmittedOrder(tasks: readonly TaskAddParameter[], results: readonly TaskAddResult[]): TaskAddResult[] {
  const byId = new Map<string, TaskAddResult[]>();
  for (const result of results) {
    const group = byId.get(result.taskId) ?? [];
    group.push(result);
    byId.set(result.taskId, group);
  }
  for (const group of byId.values()) group.sort((a, b) => Number(b.status === "success") - Number(a.status === "success"));
  const ordered: TaskAddResult[] = [];
  for (const task of tasks) {
    const result = byId.get(task.id)?.shift();
    if (result) ordered.push(result);
  }
  for (const rest of byId.values()) ordered.push(...rest);
  return ordered;
}
