import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** A node's time in a pool: from its allocation to its removal (or the emulator's stop); open while it lives. */
export interface NodeLifetime {
  poolId: string;
  nodeId: string;
  vmSize: string;
  /** False for a Spot/low-priority node; lines written before this was recorded count as dedicated. */
  dedicated?: boolean;
  start: string;
  end?: string;
}

type LedgerLine =
  | { event: "start"; poolId: string; nodeId: string; vmSize: string; time: string; dedicated?: boolean }
  | { event: "end"; poolId: string; nodeId: string; time: string };

/**
 * The record of node lifetimes the pool usage metrics are computed from. Kept apart from the
 * Batch state (it outlives deleted pools and nodes), in memory or, for a data directory whose
 * state persists, appended to `<dataDir>/usage/node-lifetimes.jsonl` and replayed on start. The
 * emulator's own down time is no node time: its nodes are removed when it stops.
 */
export class NodeLifetimes {
  private readonly lifetimes: NodeLifetime[] = [];
  private readonly open = new Map<string, NodeLifetime>();

  private constructor(private readonly file?: string) {}

  static inMemory(): NodeLifetimes {
    return new NodeLifetimes();
  }

  /** The ledger of a data directory, with what earlier runs recorded. */
  static onDisk(dataDir: string): NodeLifetimes {
    const file = path.join(dataDir, "usage", "node-lifetimes.jsonl");
    mkdirSync(path.dirname(file), { recursive: true });
    const ledger = new NodeLifetimes(file);
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        ledger.apply(JSON.parse(line) as LedgerLine);
      } catch {
        // A line cut short by a crash: what follows it was never written.
      }
    }
    return ledger;
  }

  /** A node came into the pool (or back, after the emulator restarted); nothing if it is already counted. */
  started(poolId: string, nodeId: string, vmSize: string, time: string, dedicated = true): void {
    if (this.open.has(key(poolId, nodeId))) return;
    this.record({ event: "start", poolId, nodeId, vmSize, time, ...(dedicated ? {} : { dedicated }) });
  }

  ended(poolId: string, nodeId: string, time: string): void {
    if (!this.open.has(key(poolId, nodeId))) return;
    this.record({ event: "end", poolId, nodeId, time });
  }

  /** The emulator stops: every node it runs goes. */
  endAll(time: string): void {
    for (const lifetime of [...this.open.values()]) this.ended(lifetime.poolId, lifetime.nodeId, time);
  }

  all(): readonly NodeLifetime[] {
    return this.lifetimes;
  }

  private record(line: LedgerLine): void {
    if (this.file) appendFileSync(this.file, `${JSON.stringify(line)}\n`);
    this.apply(line);
  }

  private apply(line: LedgerLine): void {
    const id = key(line.poolId, line.nodeId);
    if (line.event === "start") {
      const lifetime: NodeLifetime = {
        poolId: line.poolId,
        nodeId: line.nodeId,
        vmSize: line.vmSize,
        start: line.time,
        ...(line.dedicated === false ? { dedicated: false } : {}),
      };
      this.lifetimes.push(lifetime);
      this.open.set(id, lifetime);
      return;
    }
    const lifetime = this.open.get(id);
    if (lifetime) lifetime.end = line.time;
    this.open.delete(id);
  }
}

function key(poolId: string, nodeId: string): string {
  return `${poolId.toLowerCase()}/${nodeId}`;
}
