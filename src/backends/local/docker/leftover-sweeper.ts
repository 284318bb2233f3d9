/**
 * Removes node containers left behind by Malachite processes that died without cleaning up.
 * Containers of a live process are never touched: parallel test workers and several emulators
 * may share one engine. Nor are the node containers of a data directory a live process owns:
 * a restart on that directory adopted them (state-recovery.ts). Those of a data directory whose
 * owner died less than `orphanGraceMs` ago wait for that restart too: another Malachite starting
 * in between (a test run, a second emulator) must not take them from it.
 */
import os from "node:os";
import { isProcessAlive } from "../process-alive.js";
import { dataDirOwner, type DataDirOwner } from "../state/data-dir-owner.js";
import { LABEL } from "./labels.js";
import type { ManagedContainer, NodeRuntime } from "./node-runtime.js";

export interface SweepOptions {
  /** Also remove every container of this session, whoever owns it. */
  sessionId?: string;
  /** This machine's name, compared with `malachite.owner-host` (default `os.hostname()`). */
  hostname?: string;
  /** Liveness test of a pid on this host (default: `process.kill(pid, 0)`). */
  isProcessAlive?: (pid: number) => boolean;
  /** The process owning a data directory, if any, and when it was last seen (default: its `state/owner.pid` lock). */
  dataDirOwner?: (dataDir: string) => DataDirOwner | undefined;
  /**
   * How long after its owner was last seen a data directory's node containers are kept for a
   * restart to adopt (default ORPHAN_GRACE_MS; 0 removes them at once, as `malachite sweep` does).
   */
  orphanGraceMs?: number;
  /** The time now, in ms since the epoch (default `Date.now`). */
  now?: () => number;
}

/** How long the node containers of a data directory whose owner died wait for a restart on it. */
export const ORPHAN_GRACE_MS = 5 * 60_000;

type ResolvedSweepOptions = SweepOptions & Required<Pick<SweepOptions, "hostname" | "isProcessAlive" | "dataDirOwner" | "orphanGraceMs" | "now">>;

function resolve(options: SweepOptions): ResolvedSweepOptions {
  return {
    ...options,
    hostname: options.hostname ?? os.hostname(),
    isProcessAlive: options.isProcessAlive ?? isProcessAlive,
    dataDirOwner: options.dataDirOwner ?? dataDirOwner,
    orphanGraceMs: options.orphanGraceMs ?? ORPHAN_GRACE_MS,
    now: options.now ?? Date.now,
  };
}

/** Whether a sweep with these options removes the container: its owner is gone, and no restart may still adopt it. */
export function isLeftoverContainer(container: ManagedContainer, options: SweepOptions = {}): boolean {
  return isLeftover(container, resolve(options));
}

function isLeftover(container: ManagedContainer, options: ResolvedSweepOptions): boolean {
  const labels = container.labels;
  if (options.sessionId !== undefined && labels[LABEL.session] === options.sessionId) return true;
  if (labels[LABEL.ownerHost] !== options.hostname) return false;
  const pidLabel = labels[LABEL.ownerPid] ?? "";
  if (!/^[1-9][0-9]*$/.test(pidLabel)) return false;
  if (options.isProcessAlive(Number(pidLabel))) return false;
  const dataDir = labels[LABEL.dataDir];
  const owner = dataDir === undefined ? undefined : options.dataDirOwner(dataDir);
  if (owner === undefined) return true;
  if (options.isProcessAlive(owner.pid)) return false;
  return options.now() - owner.lastSeenMs >= options.orphanGraceMs;
}

async function removeAll(runtime: NodeRuntime, containers: ManagedContainer[]): Promise<string[]> {
  await Promise.all(containers.map((c) => runtime.removeNode(c.id)));
  return containers.map((c) => c.name);
}

/**
 * Removes the managed containers whose owning process (on this host) no longer exists, and those
 * of `options.sessionId` if given. Returns the names of the removed containers.
 */
export async function sweepLeftovers(runtime: NodeRuntime, options: SweepOptions = {}): Promise<string[]> {
  const resolved = resolve(options);
  const managed = await runtime.listManaged({ [LABEL.managed]: "true" });
  return removeAll(
    runtime,
    managed.filter((c) => isLeftover(c, resolved)),
  );
}

/** Removes every managed container of one session. Returns the names of the removed containers. */
export async function removeSession(runtime: NodeRuntime, sessionId: string): Promise<string[]> {
  const containers = await runtime.listManaged({ [LABEL.managed]: "true", [LABEL.session]: sessionId });
  return removeAll(runtime, containers);
}
