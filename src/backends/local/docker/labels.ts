/**
 * Labels Malachite puts on every container it creates, and the container names of compute
 * nodes and container tasks. The sweeper (leftover-sweeper.ts) finds leftovers by these labels.
 */
import { createHash, randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";

export const LABEL = {
  /** `true` on every container Malachite manages. */
  managed: "malachite.managed",
  /** The session (one emulator instance / test run) that created the container. */
  session: "malachite.session",
  /** Pid of the process that created the container; dead owner → leftover. */
  ownerPid: "malachite.owner-pid",
  /** Hostname of the machine whose process created it (pids mean nothing elsewhere). */
  ownerHost: "malachite.owner-host",
  pool: "malachite.pool",
  node: "malachite.node",
  /**
   * On node containers of a durable data directory: its absolute path. While a live process owns
   * that directory, the sweep leaves the container alone (a restart adopts it).
   */
  dataDir: "malachite.data-dir",
  /** On the container of a container task: `<jobId>/<taskId>`, or `startup` for the start task. */
  task: "malachite.task",
} as const;

export interface NodeLabelInput {
  sessionId: string;
  poolId: string;
  nodeId: string;
  /** The durable data directory the node's state is kept in (node containers only). */
  dataDir?: string;
}

/** The labels of a compute-node container owned by this process. */
export function nodeLabels({ sessionId, poolId, nodeId, dataDir }: NodeLabelInput): Record<string, string> {
  return {
    ...(dataDir === undefined ? {} : { [LABEL.dataDir]: path.resolve(dataDir) }),
    [LABEL.managed]: "true",
    [LABEL.session]: sessionId,
    [LABEL.ownerPid]: String(process.pid),
    [LABEL.ownerHost]: os.hostname(),
    [LABEL.pool]: poolId,
    [LABEL.node]: nodeId,
  };
}

/**
 * The labels of a container task's container: its node's labels plus the task. Never the data
 * directory's: a task container does not outlive the process that runs its task.
 */
export function taskContainerLabels({ dataDir: _node, ...node }: NodeLabelInput, task: string): Record<string, string> {
  return { ...nodeLabels(node), [LABEL.task]: task };
}

/** Longest container name produced; Docker accepts longer ones, but names show up in `docker ps`. */
export const MAX_CONTAINER_NAME_LENGTH = 120;

function sanitize(part: string): string {
  const cleaned = part.toLowerCase().replace(/[^a-z0-9_.-]+/g, "-");
  return cleaned.length > 0 ? cleaned : "x";
}

/**
 * `malachite-<session>-<pool>-<node>`, lower-cased, limited to the characters Docker accepts
 * (`[a-zA-Z0-9][a-zA-Z0-9_.-]`) and to MAX_CONTAINER_NAME_LENGTH. Batch ids are
 * case-insensitive, so lower-casing cannot merge two distinct nodes; whenever anything else had
 * to change (other characters, truncation) a hash of the exact ids is appended so names stay
 * unique and deterministic.
 */
export function nodeContainerName(sessionId: string, poolId: string, nodeId: string): string {
  const parts = [sessionId, poolId, nodeId].map(sanitize);
  const plain = `malachite-${parts.join("-")}`;
  const lossless = [sessionId, poolId, nodeId].every((p) => /^[A-Za-z0-9_.-]+$/.test(p));
  if (lossless && plain.length <= MAX_CONTAINER_NAME_LENGTH) return plain;

  const hash = createHash("sha256")
    .update(JSON.stringify([sessionId, poolId, nodeId]))
    .digest("hex")
    .slice(0, 10);
  // "malachite-" + 3 parts joined by "-" + "-" + hash
  const budget = MAX_CONTAINER_NAME_LENGTH - "malachite-".length - 2 - 1 - hash.length;
  const each = Math.floor(budget / 3);
  const trimmed = parts.map((p) => p.slice(0, each));
  return `malachite-${trimmed.join("-")}-${hash}`;
}

/**
 * `<node container name>-<task>-<random>`, within MAX_CONTAINER_NAME_LENGTH: one fresh name per
 * attempt (retries and requeues run new containers), readable in `docker ps`.
 */
export function taskContainerName(sessionId: string, poolId: string, nodeId: string, task: string): string {
  const suffix = `-${sanitize(task).slice(0, 32)}-${randomBytes(4).toString("hex")}`;
  return `${nodeContainerName(sessionId, poolId, nodeId).slice(0, MAX_CONTAINER_NAME_LENGTH - suffix.length)}${suffix}`;
}

/**
 * `<node container name>.<name>` for a task container named with `--name`: the name is the
 * task's own, unique on its node (a second container of that name on the node is refused by the
 * engine, as on a Batch VM) and free on the other nodes sharing the engine.
 */
export function namedTaskContainer(sessionId: string, poolId: string, nodeId: string, name: string): string {
  return `${nodeContainerName(sessionId, poolId, nodeId)}.${name}`;
}
