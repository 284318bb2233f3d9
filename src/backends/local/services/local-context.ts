import type { BlobStorage } from "../../../core/backend.js";
import type { NodeRuntime } from "../docker/node-runtime.js";
import type { TaskExecutor } from "../execution/task-executor.js";
import type { BatchState } from "../state/batch-state.js";
import type { Clock } from "../state/clock.js";

/** Settings of one local Batch account. */
export interface LocalSettings {
  /** Unique per backend instance; labels its containers. */
  sessionId: string;
  /** Host directory holding `nodes/<pool>/<node>` roots. */
  dataDir: string;
  /** The node image every compute node runs. */
  image: string;
  accountName: string;
  accountUrl: string;
}

/** Promises of work running in the background (node start-up, tasks), awaited by `close()`. */
export class BackgroundWork {
  private readonly pending = new Set<Promise<unknown>>();

  track(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

/** Resolves once `done()` holds, checking every 50 ms: for waiting on running tasks to stop. */
export async function pollUntil(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** What the local services share. */
export interface LocalContext {
  readonly state: BatchState;
  readonly runtime: NodeRuntime;
  readonly executor: TaskExecutor;
  readonly storage: BlobStorage;
  readonly clock: Clock;
  readonly settings: LocalSettings;
  readonly background: BackgroundWork;
  /** Asks the dispatcher to look for tasks to start; cheap, coalesced. */
  requestScheduling(): void;
}
