import { idKey } from "../../../core/validation/ids.js";
import type { TaskFailureInfo } from "../../../core/models/index.js";

/** The failure a resource file that cannot be downloaded gives its task (see execution/resource-files.ts). */
export const INJECTED_RESOURCE_FILE_FAILURE: TaskFailureInfo = {
  category: "usererror",
  code: "BlobDownloadMiscError",
  message: "Downloading a resource file failed (a fault injected through Malachite's fault API).",
};

/**
 * Faults a test asked for that take effect later, when the work they concern happens: the next
 * start tasks of a pool fail, a task's next resource-file download fails, a node's agent is slow.
 */
export class FaultRegistry {
  private readonly startTaskFailures = new Map<string, number>();
  private readonly resourceFileFailures = new Set<string>();
  private readonly nodeDelays = new Map<string, number>();

  failStartTasks(poolId: string, count: number): void {
    const key = idKey(poolId);
    this.startTaskFailures.set(key, (this.startTaskFailures.get(key) ?? 0) + count);
  }

  /** True once for each start task failure asked for on this pool. */
  takeStartTaskFailure(poolId: string): boolean {
    const key = idKey(poolId);
    const left = this.startTaskFailures.get(key) ?? 0;
    if (left <= 0) return false;
    if (left === 1) this.startTaskFailures.delete(key);
    else this.startTaskFailures.set(key, left - 1);
    return true;
  }

  failResourceFiles(jobId: string, taskId: string): void {
    this.resourceFileFailures.add(`${idKey(jobId)}/${idKey(taskId)}`);
  }

  takeResourceFileFailure(jobId: string, taskId: string): boolean {
    return this.resourceFileFailures.delete(`${idKey(jobId)}/${idKey(taskId)}`);
  }

  /** Every task started on the node waits this long first, as behind a slow node agent; 0 ends it. */
  slowNode(poolId: string, nodeId: string, delayMs: number): void {
    const key = `${idKey(poolId)}/${nodeId}`;
    if (delayMs > 0) this.nodeDelays.set(key, delayMs);
    else this.nodeDelays.delete(key);
  }

  nodeDelay(poolId: string, nodeId: string): number {
    return this.nodeDelays.get(`${idKey(poolId)}/${nodeId}`) ?? 0;
  }
}
