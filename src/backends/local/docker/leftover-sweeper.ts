/**
 * Removes node containers left behind by Malachite processes that died without cleaning up.
 * Containers of a live process are never touched: parallel test workers and several emulators
 * may share one engine. Nor are the node containers of a data directory a live process owns:
 * a restart on that directory adopted them (state-recovery.ts).
 */
import os from "node:os";
import { isProcessAlive } from "../process-alive.js";
import { dataDirOwnerPid } from "../state/data-dir-owner.js";
import { LABEL } from "./labels.js";
import type { ManagedContainer, NodeRuntime } from "./node-runtime.js";

export interface SweepOptions {
  /** Also remove every container of this session, whoever owns it. */
  sessionId?: string;
  /** This machine's name, compared with `malachite.owner-host` (default `os.hostname()`). */
  hostname?: string;
  /** Liveness test of a pid on this host (default: `process.kill(pid, 0)`). */
  isProcessAlive?: (pid: number) => boolean;
  /** The pid owning a data directory, if any (default: its `state/owner.pid` lock). */
  dataDirOwnerPid?: (dataDir: string) => number | undefined;
}

type ResolvedSweepOptions = SweepOptions & Required<Pick<SweepOptions, "hostname" | "isProcessAlive" | "dataDirOwnerPid">>;

function isLeftover(container: ManagedContainer, options: ResolvedSweepOptions): boolean {
  const labels = container.labels;
  if (options.sessionId !== undefined && labels[LABEL.session] === options.sessionId) return true;
  if (labels[LABEL.ownerHost] !== options.hostname) return false;
  const pidLabel = labels[LABEL.ownerPid] ?? "";
  if (!/^[1-9][0-9]*$/.test(pidLabel)) return false;
  if (options.isProcessAlive(Number(pidLabel))) return false;
  const dataDir = labels[LABEL.dataDir];
  const owner = dataDir === undefined ? undefined : options.dataDirOwnerPid(dataDir);
  return owner === undefined || !options.isProcessAlive(owner);
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
  const resolved: ResolvedSweepOptions = {
    ...options,
    hostname: options.hostname ?? os.hostname(),
    isProcessAlive: options.isProcessAlive ?? isProcessAlive,
    dataDirOwnerPid: options.dataDirOwnerPid ?? dataDirOwnerPid,
  };
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
