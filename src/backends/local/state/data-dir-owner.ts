/**
 * Who owns a data directory: the pid in `<dataDir>/state/owner.pid`, the lock the journal store
 * (journal-store.ts) takes for as long as a Malachite process keeps its state there. The owner
 * touches the file every OWNER_HEARTBEAT_MS, so its modification time says when the owner was
 * last seen alive, even after it was killed.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

/** The lock file's name in the state directory. */
export const OWNER_PID_FILE = "owner.pid";

/** How often a live owner touches its lock file. */
export const OWNER_HEARTBEAT_MS = 60_000;

/** A data directory's owner as its lock file records it. */
export interface DataDirOwner {
  pid: number;
  /** When the owner last touched the lock (ms since the epoch). */
  lastSeenMs: number;
}

/** The lock file of a data directory's state. */
export function ownerPidFile(dataDir: string): string {
  return path.join(dataDir, "state", OWNER_PID_FILE);
}

/** The data directory's owner and when it was last seen alive; undefined when nobody holds the lock. */
export function dataDirOwner(dataDir: string): DataDirOwner | undefined {
  const file = ownerPidFile(dataDir);
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? { pid, lastSeenMs: statSync(file).mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}
