import type { BatchService } from "../core/backend.js";

/** Time as a wait sees it; the local backend's `Clock` fits, and tests pass a fake one. */
export interface WaitClock {
  now(): number;
  setTimer(ms: number, callback: () => void): { cancel(): void };
}

/** Real time. The timer keeps the process alive: the CLI has nothing else to wait on. */
export const realTimeClock: WaitClock = {
  now: () => Date.now(),
  setTimer(ms, callback) {
    const handle = setTimeout(callback, ms);
    return { cancel: () => clearTimeout(handle) };
  },
};

/** The first interval between polls of a service that cannot notify; it doubles up to the poll interval. */
export const FIRST_POLL_MS = 100;

/** When a wait reads the service again, and why. */
export interface WakeSchedule {
  /**
   * Resolves when the service should be read again: `"poll"` at the next scheduled poll, `"change"`
   * as soon as the service reports a change. Resolves at `deadline` at the latest, and at once when
   * the signal aborts.
   */
  next(deadline: number): Promise<"poll" | "change">;
  /** A read saw the tasks move on: a service that cannot notify is polled often again. */
  progressed(): void;
  close(): void;
}

/**
 * The wake-ups of a wait on `batch`. A service that notifies its changes (`watch`, the local
 * backend) wakes the wait on each change, batched per turn of the event loop, and is also polled
 * every `pollMs` as the tutorial polls. Any other (a REST service: Azure Batch, or Malachite behind
 * the Azure backend) is polled, first after `FIRST_POLL_MS`, then twice as long each time up to `pollMs`.
 */
export function wakeSchedule(batch: BatchService, pollMs: number, clock: WaitClock, signal?: AbortSignal): WakeSchedule {
  if (batch.watch) return notifiedSchedule(batch.watch.bind(batch), pollMs, clock, signal);
  return backedOffSchedule(pollMs, clock, signal);
}

/** Waits until `at` (by `clock`), an abort, or `wake` is called, whichever is first. */
function sleepUntil(at: number, clock: WaitClock, signal: AbortSignal | undefined, onWake: (wake: () => void) => void): Promise<"timer" | "woken"> {
  return new Promise((resolve) => {
    const finish = (how: "timer" | "woken") => {
      timer.cancel();
      signal?.removeEventListener("abort", onAbort);
      onWake(() => undefined);
      resolve(how);
    };
    const onAbort = () => finish("woken");
    const timer = clock.setTimer(Math.max(0, at - clock.now()), () => finish("timer"));
    signal?.addEventListener("abort", onAbort, { once: true });
    onWake(() => finish("woken"));
  });
}

function notifiedSchedule(watch: NonNullable<BatchService["watch"]>, pollMs: number, clock: WaitClock, signal?: AbortSignal): WakeSchedule {
  let changed = false;
  let wake: () => void = () => undefined;
  let pending: NodeJS.Immediate | undefined;
  const unsubscribe = watch(() => {
    changed = true;
    // One read for every change made in the same turn (a task's completion moves its node too).
    pending ??= setImmediate(() => {
      pending = undefined;
      wake();
    });
  });
  let nextPoll = clock.now() + pollMs;
  return {
    async next(deadline) {
      if (!changed) {
        const how = await sleepUntil(Math.min(nextPoll, deadline), clock, signal, (next) => (wake = next));
        if (how === "timer" && clock.now() >= nextPoll) {
          while (nextPoll <= clock.now()) nextPoll += pollMs;
          changed = false;
          return "poll";
        }
      }
      changed = false;
      return "change";
    },
    progressed: () => undefined,
    close() {
      unsubscribe();
      if (pending) clearImmediate(pending);
    },
  };
}

function backedOffSchedule(pollMs: number, clock: WaitClock, signal?: AbortSignal): WakeSchedule {
  const first = Math.min(FIRST_POLL_MS, pollMs);
  let interval = first;
  return {
    async next(deadline) {
      await sleepUntil(Math.min(clock.now() + interval, deadline), clock, signal, () => undefined);
      interval = Math.min(pollMs, interval * 2);
      return "poll";
    },
    progressed() {
      interval = first;
    },
    close: () => undefined,
  };
}
