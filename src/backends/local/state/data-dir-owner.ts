/**
 * Who owns a data directory: the pid in `<dataDir>/state/owner.pid`, the lock the journal store
 * (journal-store.ts) takes for as long as a Malachite process keeps its state there.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

/** The lock file's name in the state directory. */
export const OWNER_PID_FILE = "owner.pid";

/** The lock file of a data directory's state. */
export function ownerPidFile(dataDir: string): string {
  return path.join(dataDir, "state", OWNER_PID_FILE);
}

/** The pid recorded as the data directory's owner; undefined when nobody holds the lock. */
export function dataDirOwnerPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(ownerPidFile(dataDir), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
