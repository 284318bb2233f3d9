import type { BatchService } from "../../core/backend.js";
import { BatchErrors } from "../../core/batch-errors.js";
import type { BatchRequest } from "../http/batch-request.js";
import { jsonBody } from "../http/json-body.js";
import type { Router } from "../http/router.js";
import { apiVersionBefore } from "../protocol/api-version.js";
import { entityUrl } from "../protocol/entity-url.js";
import { nodeCounts } from "../protocol/node-counts.js";
import { acceptedResponse, listResponse, plainEntityResponse } from "../protocol/responses.js";
import {
  parseNodeDeallocate,
  parseNodeDisableScheduling,
  parseNodeReboot,
  parseNodeReimage,
  parseUploadBatchServiceLogs,
} from "../protocol/schemas/node-operation-schemas.js";
import { parseNodeUserAdd, parseNodeUserUpdate } from "../protocol/schemas/node-user-schemas.js";

/** Start and deallocate came with api-version 2024-07-01.20.0 (SPEC routes.tsp `@added(Versions.v2024_07_01_20_0)`). */
const START_DEALLOCATE_SINCE = "2024-07-01.20.0";

function nodeUrl(request: BatchRequest): string {
  return entityUrl(request, "pools", request.params.poolId as string, "nodes", request.params.nodeId as string);
}

/** An operation of a later api-version than the request's: the service has no such resource there. */
function requireApiVersion(request: BatchRequest, since: string): void {
  if (apiVersionBefore(request.apiVersion, since)) throw BatchErrors.resourceNotFound(`${request.url.pathname} (api-version ${since} and later)`);
}

/** `/pools/{poolId}/nodes` (list, get, the node operations and node users) and `/nodecounts`. */
export function addNodeRoutes(router: Router, batch: BatchService): void {
  router
    .add("GET", "/pools/{poolId}/nodes", async (request) => listResponse(request, await batch.computeNode.list(request.params.poolId), "nodes"))
    .add("GET", "/pools/{poolId}/nodes/{nodeId}", async (request) =>
      plainEntityResponse(request, await batch.computeNode.get(request.params.poolId, request.params.nodeId), "nodes"),
    )
    .add("POST", "/pools/{poolId}/nodes/{nodeId}/reboot", async (request) => {
      const { nodeRebootOption } = jsonBody(request, parseNodeReboot, { whenEmpty: () => ({}) });
      await batch.computeNode.reboot(request.params.poolId, request.params.nodeId, nodeRebootOption);
      return acceptedResponse(202, nodeUrl(request));
    })
    .add("POST", "/pools/{poolId}/nodes/{nodeId}/reimage", async (request) => {
      const { nodeReimageOption } = jsonBody(request, parseNodeReimage, { whenEmpty: () => ({}) });
      await batch.computeNode.reimage(request.params.poolId, request.params.nodeId, nodeReimageOption);
      return acceptedResponse(202, nodeUrl(request));
    })
    .add("POST", "/pools/{poolId}/nodes/{nodeId}/deallocate", async (request) => {
      requireApiVersion(request, START_DEALLOCATE_SINCE);
      const { nodeDeallocateOption } = jsonBody(request, parseNodeDeallocate, { whenEmpty: () => ({}) });
      await batch.computeNode.deallocate(request.params.poolId, request.params.nodeId, nodeDeallocateOption);
      return acceptedResponse(202, nodeUrl(request));
    })
    .add("POST", "/pools/{poolId}/nodes/{nodeId}/start", async (request) => {
      requireApiVersion(request, START_DEALLOCATE_SINCE);
      await batch.computeNode.start(request.params.poolId, request.params.nodeId);
      return acceptedResponse(202, nodeUrl(request));
    })
    .add("POST", "/pools/{poolId}/nodes/{nodeId}/disablescheduling", async (request) => {
      const { nodeDisableSchedulingOption } = jsonBody(request, parseNodeDisableScheduling, { whenEmpty: () => ({}) });
      await batch.computeNode.disableScheduling(request.params.poolId, request.params.nodeId, nodeDisableSchedulingOption);
      return acceptedResponse(200, nodeUrl(request));
    })
    .add("POST", "/pools/{poolId}/nodes/{nodeId}/enablescheduling", async (request) => {
      await batch.computeNode.enableScheduling(request.params.poolId, request.params.nodeId);
      return acceptedResponse(200, nodeUrl(request));
    })
    .add("GET", "/pools/{poolId}/nodes/{nodeId}/remoteloginsettings", async (request) => ({
      status: 200,
      json: await batch.computeNode.getRemoteLoginSettings(request.params.poolId, request.params.nodeId),
    }))
    .add("POST", "/pools/{poolId}/nodes/{nodeId}/uploadbatchservicelogs", async (request) => {
      const configuration = jsonBody(request, parseUploadBatchServiceLogs);
      return { status: 200, json: await batch.computeNode.uploadBatchServiceLogs(request.params.poolId, request.params.nodeId, configuration) };
    })
    .add("GET", "/pools/{poolId}/nodes/{nodeId}/extensions", async (request) =>
      listResponse(request, await batch.computeNode.listExtensions(request.params.poolId, request.params.nodeId), "extensions"),
    )
    .add("GET", "/pools/{poolId}/nodes/{nodeId}/extensions/{extensionName}", async (request) =>
      plainEntityResponse(
        request,
        await batch.computeNode.getExtension(request.params.poolId, request.params.nodeId, request.params.extensionName),
        "extensions",
      ),
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
        (await batch.pool.list()).map(async (pool) => {
          const nodes = await batch.computeNode.list(pool.id).catch(() => []);
          return {
            poolId: pool.id,
            dedicated: nodeCounts(
              nodes.filter((node) => node.isDedicated !== false),
              request.apiVersion,
            ),
            lowPriority: nodeCounts(
              nodes.filter((node) => node.isDedicated === false),
              request.apiVersion,
            ),
          };
        }),
      );
      return listResponse(request, counts, "poolnodecounts");
    });
}
