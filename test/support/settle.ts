/** Lets pending promise callbacks and `setImmediate` work run: `turns` trips round the event loop. */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** What a condition returns once it holds. */
export type Truthy<T> = Exclude<T, false | 0 | "" | null | undefined>;

export interface WaitForOptions {
  /** Named in the failure message. */
  what?: string;
  /** Real-time bound, only to fail a wait that will never end; nothing waits this long on success. Default 4 s, within vitest's 5 s per test. */
  timeoutMs?: number;
}

/**
 * Resolves once `condition` holds, checking after every trip round the event loop: background
 * work (scheduling, fake processes, host file I/O) proceeds between checks, and no check waits
 * for wall-clock time to pass. Time-driven work only happens when a test advances its FakeClock.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitForOptions = {}): Promise<Truthy<T>> {
  const timeoutMs = options.timeoutMs ?? 4_000;
  const deadline = performance.now() + timeoutMs;
  for (let turn = 0; ; turn++) {
    const value = await condition();
    if (value) return value as Truthy<T>;
    if (performance.now() > deadline) {
      throw new Error(`waitFor: ${options.what ?? "the condition"} did not hold after ${turn} turns (${timeoutMs} ms)`);
    }
    // Immediates first; host file I/O in the thread pool may need the loop to block briefly on it.
    if (turn < 200) await settle(1);
    else await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
}
