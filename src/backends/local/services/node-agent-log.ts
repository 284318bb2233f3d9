import { appendFile, mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { createLogger } from "../../../core/logger.js";
import type { ComputeNodeState } from "../../../core/models/index.js";
import { isoNow, type Clock } from "../state/clock.js";
import type { NodeRecord } from "../state/records.js";

const log = createLogger("malachite:nodes");

/** One line of a node's agent log. */
export interface AgentLogLine {
  /** ISO 8601, on the backend's clock. */
  time: string;
  text: string;
}

/**
 * What Malachite did to each node, one timestamped line per event (state changes, the start
 * task's outcome, reboots, reimages, scheduling changes): the local stand-in for the Batch node
 * agent's logs, which `uploadbatchservicelogs` uploads. Kept on the host outside the node's
 * directory (`<dataDir>/node-agent-logs/<pool>/<node>.log`), so tasks cannot touch it and a
 * reimage does not wipe it; it goes with its node.
 */
export class NodeAgentLog {
  /** Appends in order, per file. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    private readonly dataDir: string,
    private readonly clock: Clock,
  ) {}

  private fileOf(poolId: string, nodeId: string): string {
    return path.join(this.dataDir, "node-agent-logs", poolId, `${nodeId}.log`);
  }

  /** Appends a line (one line: newlines in `text` are flattened). */
  write(record: NodeRecord, text: string): void {
    const file = this.fileOf(record.poolId, record.node.id);
    const line = `${isoNow(this.clock)} ${text.replace(/\s*\n\s*/g, " ")}\n`;
    const previous = this.writes.get(file) ?? Promise.resolve();
    const next = previous
      .then(() => mkdir(path.dirname(file), { recursive: true }))
      .then(() => appendFile(file, line))
      .catch((error: unknown) => log.warn(`cannot write the agent log of node ${record.node.id}: ${(error as Error).message}`));
    this.writes.set(file, next);
    void next.finally(() => {
      if (this.writes.get(file) === next) this.writes.delete(file);
    });
  }

  /** A state change, with the errors that made the node unusable. */
  transition(record: NodeRecord, from: ComputeNodeState): void {
    const node = record.node;
    let text = `state ${from} -> ${node.state}`;
    if (node.state === "unusable" && node.errors?.length) text += `: ${node.errors.map((error) => `${error.code}: ${error.message}`).join("; ")}`;
    this.write(record, text);
  }

  /** The lines written between `startTime` and `endTime` (inclusive; no end: up to now). */
  async linesBetween(record: NodeRecord, startTime: number, endTime?: number): Promise<AgentLogLine[]> {
    const file = this.fileOf(record.poolId, record.node.id);
    await this.writes.get(file);
    const text = await readFile(file, "utf8").catch(() => "");
    return text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => ({ time: line.slice(0, line.indexOf(" ")), text: line.slice(line.indexOf(" ") + 1) }))
      .filter((line) => {
        const at = Date.parse(line.time);
        return at >= startTime && (endTime === undefined || at <= endTime);
      });
  }

  /** Resolves once every line written so far is on disk (before shutting down). */
  async flush(): Promise<void> {
    await Promise.all(this.writes.values());
  }

  /** The node left its pool: its log goes with it. */
  async remove(poolId: string, nodeId: string): Promise<void> {
    const file = this.fileOf(poolId, nodeId);
    await this.writes.get(file);
    await rm(file, { force: true });
  }

  /** The pool is gone: the logs of all its nodes go. */
  async removePool(poolId: string): Promise<void> {
    await rm(path.join(this.dataDir, "node-agent-logs", poolId), { recursive: true, force: true });
  }
}
