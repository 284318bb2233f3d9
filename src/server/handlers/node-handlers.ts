import type { BatchService } from "../../core/backend.js";
import type { ComputeNode } from "../../core/models/index.js";
import type { Router } from "../http/router.js";
import { jsonBody } from "../http/json-body.js";
import { entityUrl } from "../protocol/entity-url.js";
import { acceptedResponse, listResponse, plainEntityResponse } from "../protocol/responses.js";
import { parseNodeUserAdd, parseNodeUserUpdate } from "../protocol/schemas/node-user-schemas.js";

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

/** `/pools/{poolId}/nodes` (list, get, users) and `/nodecounts`. */
export function addNodeRoutes(router: Router, batch: BatchService): void {
  router
    .add("GET", "/pools/{poolId}/nodes", async (request) => listResponse(request, await batch.computeNode.list(request.params.poolId), "nodes"))
    .add("GET", "/pools/{poolId}/nodes/{nodeId}", async (request) =>
      plainEntityResponse(request, await batch.computeNode.get(request.params.poolId, request.params.nodeId), "nodes"),
    )
    .add("POST", "/pools/{poolId}/nodes/{nodeId}/users", async (request) => {
      const { poolId, nodeId } = request.params;
      const user = jsonBody(request, parseNodeUserAdd);
      await batch.computeNode.addUser(poolId, nodeId, user);
      const url = entityUrl(request, "pools", poolId, "nodes", nodeId, "users", user.name);
      return { status: 201, headers: { Location: url, DataServiceId: url } };
    })
    .add("PUT", "/pools/{poolId}/nodes/{nodeId}/users/{userName}", async (request) => {
      const { poolId, nodeId, userName } = request.params;
      await batch.computeNode.updateUser(poolId, nodeId, userName, jsonBody(request, parseNodeUserUpdate));
      return acceptedResponse(200, entityUrl(request, "pools", poolId, "nodes", nodeId, "users", userName));
    })
    .add("DELETE", "/pools/{poolId}/nodes/{nodeId}/users/{userName}", async (request) => {
      const { poolId, nodeId, userName } = request.params;
      await batch.computeNode.deleteUser(poolId, nodeId, userName);
      return acceptedResponse(200, entityUrl(request, "pools", poolId, "nodes", nodeId, "users", userName));
    })
    .add("GET", "/nodecounts", async (request) => {
      const counts = await Promise.all(
        (await batch.pool.list()).map(async (pool) => ({
          poolId: pool.id,
          dedicated: stateCounts(await batch.computeNode.list(pool.id).catch(() => [])),
          lowPriority: stateCounts([]),
        })),
      );
      return listResponse(request, counts, "poolnodecounts");
    });
}
