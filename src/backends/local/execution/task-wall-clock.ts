import type { Clock, Timer } from "../state/clock.js";

/**
 * A running task's `maxWallClockTime`, counted from its start (over all its retries). The limit can
 * change while the task runs (`Task_Update`): the timer is re-armed from the same start, so a limit
 * already exceeded ends the task at once.
 */
export class TaskWallClock {
  private timer?: Timer;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly startMs: number,
    private readonly onExpiry: () => void,
  ) {}

  /** The limit in milliseconds from the start; undefined for none. */
  set(limitMs: number | undefined): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.stopped || limitMs === undefined) return;
    const leftMs = this.startMs + limitMs - this.clock.now();
    if (leftMs <= 0 && limitMs > 0)
      this.onExpiry(); // a new limit the task has already run past
    else this.timer = this.clock.setTimer(Math.max(0, leftMs), this.onExpiry);
  }

  /** The task has ended: no limit applies any more. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }
}
