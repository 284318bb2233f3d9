import type { ComputeNode, ComputeNodeState } from "../../core/models/index.js";
import { apiVersionBefore } from "./api-version.js";

/**
 * The properties of REST `NodeCounts` (`GET /nodecounts`), by the node state each counts: the
 * wire names are camelCase (`startTaskFailed`, `leavingPool`, `waitingForStartTask`), unlike the
 * states themselves. `deallocated`, `deallocating` and `upgradingOS` came with api-version
 * 2024-07-01.20.0 (SPEC models.tsp `BatchNodeCounts`).
 */
const COUNTED: readonly (readonly [ComputeNodeState | "upgradingos", string])[] = [
  ["creating", "creating"],
  ["idle", "idle"],
  ["offline", "offline"],
  ["preempted", "preempted"],
  ["rebooting", "rebooting"],
  ["reimaging", "reimaging"],
  ["running", "running"],
  ["starting", "starting"],
  ["starttaskfailed", "startTaskFailed"],
  ["leavingpool", "leavingPool"],
  ["unknown", "unknown"],
  ["unusable", "unusable"],
  ["waitingforstarttask", "waitingForStartTask"],
];
const SINCE_2024_07_01: typeof COUNTED = [
  ["deallocated", "deallocated"],
  ["deallocating", "deallocating"],
  ["upgradingos", "upgradingOS"],
];

/** The nodes counted by state, in the request's api-version, with their `total`. */
export function nodeCounts(nodes: readonly ComputeNode[], apiVersion: string): Record<string, number> {
  const counted = apiVersionBefore(apiVersion, "2024-07-01.20.0") ? COUNTED : [...COUNTED, ...SINCE_2024_07_01];
  const counts: Record<string, number> = {};
  for (const [state, name] of counted) counts[name] = nodes.filter((node) => node.state === state).length;
  return { ...counts, total: nodes.length };
}
