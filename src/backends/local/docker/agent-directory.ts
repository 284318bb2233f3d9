/**
 * Where a node container's agent keeps its bundle and socket on the host: a directory next to the
 * node's root, `<node root>.agent-<12 hex>` (a new one per container). Named here so that what
 * cleans up node directories knows which ones belong to a node it keeps.
 */
import { randomBytes } from "node:crypto";

const SUFFIX = /\.agent-[0-9a-f]{12}$/;

/** A new agent directory's host path for a container of the node rooted at `hostNodeRoot`. */
export function newAgentDirectory(hostNodeRoot: string): string {
  return `${hostNodeRoot}.agent-${randomBytes(6).toString("hex")}`;
}

/** The node root an agent directory belongs to; undefined if `dir` is not an agent directory. */
export function nodeRootOfAgentDirectory(dir: string): string | undefined {
  return SUFFIX.test(dir) ? dir.replace(SUFFIX, "") : undefined;
}

/** The part of an agent directory's name that is its own (for a short link to it). */
export function agentDirectoryId(dir: string): string {
  return dir.slice(dir.lastIndexOf(".agent-") + ".agent-".length);
}
