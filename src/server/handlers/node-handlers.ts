import type { BatchService } from "../../core/backend.js";
import type { ComputeNode } from "../../core/models/index.js";
import type { Router } from "../http/router.js";
import { listResponse, plainEntityResponse } from "../protocol/responses.js";

const NODE_STATES: ComputeNode["state"][] = [
  "creating",
  "starting",
  "waitingforstarttask",
  "starttaskfailed",
  "idle",
  "running",
  "rebooting",
  "reimaging",
  "leavingpool",
  "offline",
  "preempted",
  "unusable",
  "unknown",
];

function stateCounts(nodes: ComputeNode[]) {
  const counts: Record<string, number> = Object.fromEntries(NODE_STATES.map((state) => [state, 0]));
  for (const node of nodes) counts[node.state] = (counts[node.state] ?? 0) + 1;
  return { ...counts, total: nodes.length };
}

/** `/pools/{poolId}/nodes` (list, get) and `/nodecounts`. */
export function addNodeRoutes(router: Router, batch: BatchService): void {
  router
    .add("GET", "/pools/{poolId}/nodes", async (request) => listResponse(request, await batch.computeNode.list(request.params.poolId), "nodes"))
    .add("GET", "/pools/{poolId}/nodes/{nodeId}", async (request) =>
      plainEntityResponse(request, await batch.computeNode.get(request.params.poolId, request.params.nodeId), "nodes"),
    )
    .add("GET", "/nodecounts", async (request) => {
      const counts = await Promise.all(
        (await batch.pool.list()).map(async (pool) => {
          const nodes = await batch.computeNode.list(pool.id).catch(() => []);
          return {
            poolId: pool.id,
            dedicated: stateCounts(nodes.filter((node) => node.isDedicated !== false)),
            lowPriority: stateCounts(nodes.filter((node) => node.isDedicated === false)),
          };
        }),
      );
      return listResponse(request, counts, "poolnodecounts");
    });
}
