/**
 * Keeps the Azurite child from outliving this process: a `process.on("exit")` hook kills live
 * children synchronously, and a watchdog preloaded into the child shuts it down when its stdin
 * closes (which also covers this process dying without running hooks, e.g. on SIGKILL).
 */
import type { ChildProcess } from "node:child_process";

const STOP_GRACE_MS = 5_000;

/**
 * Preloaded into the child: when the parent goes away for any reason (even SIGKILL, where no
 * "exit" hook runs) the stdin pipe reaches EOF, and Azurite is asked to shut down gracefully.
 */
const PARENT_WATCHDOG = [
  "const input = process.stdin;",
  "input.on('error', () => {});",
  "input.on('end', () => {",
  "  process.kill(process.pid, 'SIGTERM');",
  "  setTimeout(() => process.exit(1), 5000).unref();",
  "});",
  "input.resume();",
  "if (typeof input.unref === 'function') input.unref();",
].join("\n");
/** The watchdog as a module URL for `node --import`. */
export const PARENT_WATCHDOG_URL = `data:text/javascript,${encodeURIComponent(PARENT_WATCHDOG)}`;

/** Children still running, killed synchronously if the parent exits without stopping them. */
const liveChildren = new Set<ChildProcess>();

function killLiveChildrenOnExit(): void {
  for (const child of liveChildren) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  liveChildren.clear();
}

function track(child: ChildProcess): void {
  if (liveChildren.size === 0) process.on("exit", killLiveChildrenOnExit);
  liveChildren.add(child);
}

function untrack(child: ChildProcess): void {
  if (!liveChildren.delete(child)) return;
  if (liveChildren.size === 0) process.removeListener("exit", killLiveChildrenOnExit);
}

/**
 * Registers a just-spawned child (spawned with piped stdin, which the watchdog reads) with the
 * exit hook; resolves once it has exited, or once spawning it failed outright.
 */
export function superviseChild(child: ChildProcess): Promise<void> {
  track(child);
  child.stdin!.on("error", () => {});
  return new Promise<void>((resolve) => {
    child.once("exit", () => {
      untrack(child);
      resolve();
    });
    // A spawn that failed outright never emits "exit".
    child.once("error", () => {
      if (child.pid === undefined) {
        untrack(child);
        resolve();
      }
    });
  });
}

/** Lets this process exit while the child runs, its output still being consumed (so the pipes never fill). */
export function detachFromEventLoop(child: ChildProcess): void {
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the child has exited (`exited` from {@link superviseChild}). */
export async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    untrack(child);
    return;
  }
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const escalate = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, STOP_GRACE_MS);
  });
  await Promise.race([exited, escalate]);
  clearTimeout(timer);
  await exited;
  untrack(child);
}
