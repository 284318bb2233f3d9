/** What the Azurite child writes to stdout and stderr: the last few KB of each, kept for diagnostics. */
import type { ChildProcess } from "node:child_process";

/** How much of each stream is kept, in characters. */
export const OUTPUT_TAIL_CHARS = 4_000;

function appendTail(tail: string, chunk: string): string {
  const joined = tail + chunk;
  return joined.length > OUTPUT_TAIL_CHARS ? joined.slice(joined.length - OUTPUT_TAIL_CHARS) : joined;
}

/** Reads the child's stdout and stderr as UTF-8, keeping their tails; echoes both to this process's stderr unless `silent`. */
export class AzuriteOutput {
  #stdoutTail = "";
  #stderrTail = "";

  constructor(child: ChildProcess, silent: boolean) {
    child.stdout!.setEncoding("utf8");
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      this.#stderrTail = appendTail(this.#stderrTail, chunk);
      if (!silent) process.stderr.write(chunk);
    });
    child.stdout!.on("data", (chunk: string) => {
      this.#stdoutTail = appendTail(this.#stdoutTail, chunk);
      if (!silent) process.stderr.write(chunk);
    });
  }

  get stdoutTail(): string {
    return this.#stdoutTail;
  }

  get stderrTail(): string {
    return this.#stderrTail;
  }

  /** Both tails, for the end of an error message ("\nstderr:\n…\nstdout:\n…", or " (no output)"). */
  describe(): string {
    const parts: string[] = [];
    if (this.#stderrTail.trim()) parts.push(`stderr:\n${this.#stderrTail.trim()}`);
    if (this.#stdoutTail.trim()) parts.push(`stdout:\n${this.#stdoutTail.trim()}`);
    return parts.length > 0 ? `\n${parts.join("\n")}` : " (no output)";
  }
}
