import type { Clock, Timer } from "../../src/backends/local/state/clock.js";
import { settle } from "./settle.js";

/** Where every FakeClock starts unless told otherwise. */
export const FAKE_CLOCK_START = Date.parse("2025-01-01T00:00:00.000Z");

interface PendingTimer {
  due: number;
  order: number;
  callback: () => void;
}

/**
 * A clock that only moves when the test says so. `advance(ms)` fires the timers that fall due,
 * in order, each at its own time, letting promise callbacks settle after each one.
 */
export class FakeClock implements Clock {
  private current: number;
  private readonly timers = new Set<PendingTimer>();
  private created = 0;

  constructor(start: number = FAKE_CLOCK_START) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** The current time as the service writes it (ISO 8601 UTC). */
  iso(): string {
    return new Date(this.current).toISOString();
  }

  setTimer(ms: number, callback: () => void): Timer {
    const timer: PendingTimer = { due: this.current + Math.max(0, ms), order: this.created++, callback };
    this.timers.add(timer);
    return { cancel: () => this.timers.delete(timer) };
  }

  /** Timers armed and neither fired nor cancelled. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer due by then (including ones armed on the way). */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (let next = this.nextDue(target); next; next = this.nextDue(target)) {
      this.timers.delete(next);
      this.current = Math.max(this.current, next.due);
      next.callback();
      await settle();
    }
    this.current = target;
    await settle();
  }

  private nextDue(until: number): PendingTimer | undefined {
    let first: PendingTimer | undefined;
    for (const timer of this.timers) {
      if (timer.due > until) continue;
      if (!first || timer.due < first.due || (timer.due === first.due && timer.order < first.order)) first = timer;
    }
    return first;
  }
}
