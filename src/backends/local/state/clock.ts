/** A scheduled callback that can be cancelled. */
export interface Timer {
  cancel(): void;
}

/**
 * Time as the local backend sees it: timestamps, ETags, wall-clock limits and timeouts. The
 * system clock is real time; tests inject a controllable one (test/support/fake-clock.ts).
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` once `ms` have passed. Any length is allowed (see `systemClock`). */
  setTimer(ms: number, callback: () => void): Timer;
}

/** The longest delay Node's timers take; longer ones fire at once (a 32-bit signed overflow). */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Real time. Delays longer than Node's timers allow are waited out in steps, so P30D means 30 days. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, callback) {
    const due = Date.now() + Math.max(0, ms);
    let handle: NodeJS.Timeout;
    const arm = () => {
      const left = due - Date.now();
      handle = left > MAX_TIMER_DELAY_MS ? setTimeout(arm, MAX_TIMER_DELAY_MS) : setTimeout(callback, Math.max(0, left));
      handle.unref();
    };
    arm();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** A clock's now, as the service writes timestamps (ISO 8601 UTC). */
export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}

let lastTicks = 0n;

/**
 * An opaque ETag in the service's style (`0x8D...`), from the clock's time in 100 ns ticks;
 * strictly increasing within a process, so two changes in the same millisecond still differ.
 */
export function newETag(clock: Clock): string {
  const fromClock = BigInt(clock.now()) * 10_000n;
  lastTicks = fromClock > lastTicks ? fromClock : lastTicks + 1n;
  return `0x${lastTicks.toString(16).toUpperCase().padStart(15, "0")}`;
}
