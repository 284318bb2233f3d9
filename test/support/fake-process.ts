/** How the fake node runtime runs one process: its program, its output, its duration on the clock, and its death. */
import { appendFile, writeFile } from "node:fs/promises";
import type { ExecResult, TaskContainerSpec } from "../../src/backends/local/docker/node-runtime.js";
import type { Clock } from "../../src/backends/local/state/clock.js";
import type { Program, ProgramOutcome, ProgramRun } from "./fake-programs.js";

/** 128 + SIGKILL, as Docker reports a killed process. */
export const KILLED_EXIT_CODE = 137;

/** One process started with `exec` (on a node) or `runContainer` (a container task). */
export interface ProcessRecord {
  kind: "exec" | "container";
  /** The node's container for `exec`, the task container's name for `runContainer`. */
  containerId: string;
  argv: string[];
  env: Record<string, string>;
  user: string;
  workingDir: string | undefined;
  /** Set for container tasks. */
  container?: TaskContainerSpec;
  /** `starting` while its output files are prepared; `running` once its program runs (and its duration is on the clock). */
  state: "starting" | "running" | "exited";
  /** How it ended; undefined while it runs. */
  result?: ExecResult;
}

export interface OutputPaths {
  stdoutPath: string;
  stderrPath: string;
}

export interface ProcessSetting {
  output: OutputPaths;
  hostPath: (nodePath: string) => string;
  /** Kills the process (the executor's abort). */
  kill?: AbortSignal;
  /** Aborts when the process's node is removed: it dies, not killed by the executor. */
  nodeGone?: AbortSignal;
  clock: Clock;
  /** While this returns a promise, a kill takes effect only once it settles. */
  killTakesEffect: () => Promise<void> | undefined;
}

/** Runs a program: output first, then its duration and what it waits for; killed by the signal or with its node. */
export async function runProcess(record: ProcessRecord, program: Program, setting: ProcessSetting): Promise<ExecResult> {
  const { output, kill, nodeGone } = setting;
  await writeFile(output.stdoutPath, "");
  await writeFile(output.stderrPath, "");
  if (kill?.aborted) return exited(record, { exitCode: KILLED_EXIT_CODE, killed: true });
  const stop = new AbortController();
  let onKill = () => {};
  let onNodeGone = () => {};
  const ended = new Promise<ExecResult>((resolve) => {
    const die = (result: ExecResult) => {
      stop.abort();
      resolve(result);
    };
    onKill = () => {
      const delay = setting.killTakesEffect();
      if (delay) void delay.then(() => die({ exitCode: KILLED_EXIT_CODE, killed: true }));
      else die({ exitCode: KILLED_EXIT_CODE, killed: true });
    };
    onNodeGone = () => die({ exitCode: KILLED_EXIT_CODE, killed: false });
    kill?.addEventListener("abort", onKill, { once: true });
    nodeGone?.addEventListener("abort", onNodeGone, { once: true });
  });
  const run: ProgramRun = {
    containerId: record.containerId,
    argv: record.argv,
    env: record.env,
    workingDir: record.workingDir,
    user: record.user,
    hostPath: setting.hostPath,
    signal: stop.signal,
  };
  try {
    return exited(record, await Promise.race([ended, lifeOf(record, program, run, setting)]));
  } catch (error) {
    record.state = "exited";
    throw error;
  } finally {
    stop.abort();
    kill?.removeEventListener("abort", onKill);
    nodeGone?.removeEventListener("abort", onNodeGone);
  }
}

function exited(record: ProcessRecord, result: ExecResult): ExecResult {
  record.state = "exited";
  record.result = result;
  return result;
}

/** The process as its program scripts it; never settles once it is killed. */
async function lifeOf(record: ProcessRecord, program: Program, run: ProgramRun, setting: ProcessSetting): Promise<ExecResult> {
  const killed = new Promise<never>(() => undefined);
  record.state = "running";
  const outcome: ProgramOutcome = await program(run);
  if (run.signal.aborted) return killed;
  const duration = outcome.durationMs ? elapse(setting.clock, outcome.durationMs, run.signal) : undefined;
  if (outcome.stdout) await appendFile(setting.output.stdoutPath, outcome.stdout);
  if (outcome.stderr) await appendFile(setting.output.stderrPath, outcome.stderr);
  await duration;
  await outcome.waitFor;
  return run.signal.aborted ? killed : { exitCode: outcome.exitCode ?? 0, killed: false, ...(outcome.usage ? { usage: outcome.usage } : {}) };
}

/** Resolves after `ms` on the clock, unless the signal aborts first (then never). */
function elapse(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = clock.setTimer(ms, resolve);
    signal.addEventListener("abort", () => timer.cancel(), { once: true });
  });
}
