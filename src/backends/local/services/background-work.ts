import { createLogger } from "../../../core/logger.js";

const log = createLogger("malachite:background");

/** A failure of work nobody awaited, with what the work was. */
export interface BackgroundFailure {
  what: string;
  error: Error;
}

/**
 * Work running in the background (node start-up, tasks, removals), awaited by `close()`. A
 * failure is never dropped: it is logged with what the work was, handed to the work's own
 * `onFailure` (which records it where a caller can see it, e.g. a node's `errors`), and kept in
 * `failures`.
 */
export class BackgroundWork {
  private readonly pending = new Set<Promise<void>>();
  readonly failures: BackgroundFailure[] = [];

  track(what: string, work: Promise<unknown>, onFailure?: (error: Error) => void): void {
    const tracked: Promise<void> = work
      .then(
        () => undefined,
        (reason: unknown) => {
          const error = reason instanceof Error ? reason : new Error(String(reason));
          log.warn(`${what} failed: ${error.stack ?? error.message}`);
          this.failures.push({ what, error });
          try {
            onFailure?.(error);
          } catch (secondary) {
            log.warn(`recording the failure of ${what} failed too: ${(secondary as Error).message}`);
          }
        },
      )
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
