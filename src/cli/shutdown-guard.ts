/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into an orderly shutdown: the first signal aborts the
 * work and lets cleanup run; a second one exits at once.
 */
export class ShutdownGuard {
  readonly controller = new AbortController();
  private readonly onSignal = (signal: NodeJS.Signals) => {
    if (this.controller.signal.aborted) {
      process.stderr.write(`\n${signal} again: exiting without cleanup\n`);
      process.exit(130);
    }
    process.stderr.write(`\n${signal}: stopping and cleaning up (press Ctrl-C again to force)...\n`);
    this.controller.abort(new Error(`interrupted by ${signal}`));
  };

  constructor() {
    process.on("SIGINT", this.onSignal);
    process.on("SIGTERM", this.onSignal);
  }

  get interrupted(): boolean {
    return this.controller.signal.aborted;
  }

  dispose(): void {
    process.off("SIGINT", this.onSignal);
    process.off("SIGTERM", this.onSignal);
  }
}
