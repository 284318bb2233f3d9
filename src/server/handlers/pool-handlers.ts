import type { BatchService } from "../../core/backend.js";
import type { Router } from "../http/router.js";
import { jsonBody } from "../http/json-body.js";
import { accessConditions } from "../protocol/access-condition-headers.js";
import { entityUrl } from "../protocol/entity-url.js";
import { acceptedResponse, createdResponse, entityResponse, listResponse } from "../protocol/responses.js";
import { parsePoolAdd } from "../protocol/schemas/pool-add-schema.js";
import { parsePoolResize } from "../protocol/schemas/pool-resize-schema.js";
import { parseNodeRemove } from "../protocol/schemas/node-remove-schema.js";

/** `/pools`: add, list, get, head, delete, resize, remove nodes, stop resize. */
export function addPoolRoutes(router: Router, batch: BatchService): void {
  router
    .add("POST", "/pools", async (request) => createdResponse(await batch.pool.add(jsonBody(request, parsePoolAdd))))
    .add("GET", "/pools", async (request) => listResponse(request, await batch.pool.list(), "pools"))
    .add("GET", "/pools/{poolId}", async (request) => {
      const pool = await batch.pool.get(request.params.poolId, { conditions: accessConditions(request) });
      return entityResponse(request, pool, "pools");
    })
    .add("HEAD", "/pools/{poolId}", async (request) => {
      const pool = await batch.pool.get(request.params.poolId, { conditions: accessConditions(request) });
      return { ...entityResponse(request, pool, "pools"), json: undefined };
    })
    .add("DELETE", "/pools/{poolId}", async (request) => {
      await batch.pool.delete(request.params.poolId, { conditions: accessConditions(request) });
      return acceptedResponse(202, entityUrl(request, "pools", request.params.poolId));
    })
    .add("POST", "/pools/{poolId}/resize", async (request) => {
      const resize = jsonBody(request, parsePoolResize);
      await batch.pool.resize(request.params.poolId, resize, { conditions: accessConditions(request) });
      return acceptedResponse(202, entityUrl(request, "pools", request.params.poolId));
    })
    .add("POST", "/pools/{poolId}/removenodes", async (request) => {
      const remove = jsonBody(request, parseNodeRemove);
      await batch.pool.removeNodes(request.params.poolId, remove, { conditions: accessConditions(request) });
      return acceptedResponse(202, entityUrl(request, "pools", request.params.poolId));
    })
    .add("POST", "/pools/{poolId}/stopresize", async (request) => {
      await batch.pool.stopResize(request.params.poolId, { conditions: accessConditions(request) });
      return acceptedResponse(202, entityUrl(request, "pools", request.params.poolId));
    });
}
