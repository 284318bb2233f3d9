import type { Program, ProgramOutcome, ProgramRun } from "./fake-programs.js";
import { waitFor } from "./settle.js";

/** One process of a HeldProgram: it runs until the test finishes it (or it is killed). */
export class HeldRun {
  private done = false;

  constructor(
    readonly run: ProgramRun,
    private readonly resolve: (outcome: ProgramOutcome) => void,
  ) {}

  get argv(): string[] {
    return this.run.argv;
  }

  get env(): Record<string, string> {
    return this.run.env;
  }

  get killed(): boolean {
    return this.run.signal.aborted;
  }

  /** Neither finished by the test nor killed. */
  get running(): boolean {
    return !this.done && !this.killed;
  }

  /** Ends the process with this exit code, or this outcome (output included). */
  finish(outcome: number | ProgramOutcome = 0): void {
    this.done = true;
    this.resolve(typeof outcome === "number" ? { exitCode: outcome } : outcome);
  }
}

/** A program whose processes end only when the test says so: tasks end exactly when it wants. */
export class HeldProgram {
  readonly runs: HeldRun[] = [];

  readonly program: Program = (run) =>
    new Promise<ProgramOutcome>((resolve) => {
      this.runs.push(new HeldRun(run, resolve));
    });

  /** Processes still running. */
  get running(): HeldRun[] {
    return this.runs.filter((run) => run.running);
  }

  /** The running process of a task (by AZ_BATCH_TASK_ID), once it has started. */
  started(taskId: string): Promise<HeldRun> {
    return waitFor(() => this.running.find((run) => run.env.AZ_BATCH_TASK_ID === taskId), { what: `a running process of task ${taskId}` });
  }

  /** Finishes every running process with this exit code. */
  finishAll(exitCode = 0): void {
    for (const run of this.running) run.finish(exitCode);
  }
}
