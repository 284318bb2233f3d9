/**
 * Programs of the fake node runtime: what a process "does" is a function of its argv and
 * environment, returning its exit code and output, and how long it runs (on the fake clock) or
 * what it waits for.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ProcessUsage } from "../../src/backends/local/docker/node-runtime.js";

/** One process as the fake runtime starts it. */
export interface ProgramRun {
  /** The node's container (`exec`), or the task container's name (`runContainer`). */
  containerId: string;
  argv: string[];
  env: Record<string, string>;
  /** The working directory inside the node (undefined: the image's own, for a container task). */
  workingDir: string | undefined;
  /** `root`, `uid:gid` or a user name, as given to the engine. */
  user: string;
  /** The host path of a path inside the node; a relative path is taken from the working directory. */
  hostPath(nodePath: string): string;
  /** Aborts when the process is killed. */
  signal: AbortSignal;
}

export interface ProgramOutcome {
  /** Default 0. */
  exitCode?: number;
  /** Written to the task's stdout.txt / stderr.txt as soon as the program returns. */
  stdout?: string;
  stderr?: string;
  /** How long the process keeps running after that, on the runtime's clock. */
  durationMs?: number;
  /** The process keeps running until this settles (after `durationMs`, if both are given). */
  waitFor?: Promise<unknown>;
  /** The CPU time and disk I/O its exit reports, as the node agent reports a reaped process's; none if unset. */
  usage?: ProcessUsage;
}

export type Program = (run: ProgramRun) => ProgramOutcome | Promise<ProgramOutcome>;

/** What a missing program does under Docker: the exec wrapper's `exec` fails with 127. */
export const notFound: Program = (run) => ({ exitCode: 127, stderr: `/bin/sh: 1: exec: ${run.argv[0]}: not found\n` });

async function cat(run: ProgramRun): Promise<ProgramOutcome> {
  let stdout = "";
  for (const file of run.argv.slice(1)) {
    try {
      stdout += await readFile(run.hostPath(file), "utf8");
    } catch {
      return { exitCode: 1, stdout, stderr: `cat: ${file}: No such file or directory\n` };
    }
  }
  return { stdout };
}

/** `true`, `false`, `echo`, `sleep` (on the fake clock) and `cat`, found by name or by path. */
export const standardPrograms: Record<string, Program> = {
  true: () => ({}),
  false: () => ({ exitCode: 1 }),
  echo: (run) => ({ stdout: `${run.argv.slice(1).join(" ")}\n` }),
  sleep: (run) => ({ durationMs: Number(run.argv[1] ?? 0) * 1000 }),
  cat,
};

/**
 * `/bin/bash -c '<script>'` for a fixed set of scripts, each given as a program: the fake knows
 * no shell, so a test lists the scripts it uses. Any other script fails as a syntax error would.
 */
export function scriptedShell(scripts: Record<string, Program>): Program {
  return (run) => {
    const [, flag, script] = run.argv;
    const program = flag === "-c" && script !== undefined ? scripts[script] : undefined;
    if (!program) return { exitCode: 2, stderr: `fake bash: no scripted behaviour for ${JSON.stringify(run.argv.slice(1))}\n` };
    return program(run);
  };
}

/** Finds a program by argv[0], then by its base name (`/bin/true` → `true`). */
export function lookUp(programs: ReadonlyMap<string, Program>, argv0: string | undefined): Program | undefined {
  if (argv0 === undefined) return undefined;
  return programs.get(argv0) ?? programs.get(path.posix.basename(argv0));
}
