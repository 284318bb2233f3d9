import type { BatchService } from "../../core/backend.js";
import { BatchErrors } from "../../core/batch-errors.js";
import type { PoolAddParameter, PoolResizeParameter } from "../../core/models/index.js";
import type { Router } from "../http/router.js";
import { jsonBody } from "../http/json-body.js";
import { checkConditions } from "../protocol/conditions.js";
import { checkProperties, POOL_ADD } from "../protocol/known-properties.js";
import { acceptedResponse, createdResponse, entityResponse, listResponse } from "../protocol/responses.js";

/** `/pools`: add, list, get, head, delete, resize. */
export function addPoolRoutes(router: Router, batch: BatchService): void {
  router
    .add("POST", "/pools", async (request) => {
      const body = jsonBody(request);
      checkProperties(body, POOL_ADD);
      return createdResponse(await batch.pool.add(body as unknown as PoolAddParameter));
    })
    .add("GET", "/pools", async (request) => listResponse(request, await batch.pool.list(), "pools"))
    .add("GET", "/pools/{poolId}", async (request) => {
      const pool = await batch.pool.get(request.params.poolId as string);
      checkConditions(request, pool, "read");
      return entityResponse(request, pool, "pools");
    })
    .add("HEAD", "/pools/{poolId}", async (request) => {
      const pool = await batch.pool.get(request.params.poolId as string);
      checkConditions(request, pool, "read");
      return { ...entityResponse(request, pool, "pools"), json: undefined };
    })
    .add("DELETE", "/pools/{poolId}", async (request) => {
      const pool = await batch.pool.get(request.params.poolId as string);
      checkConditions(request, pool, "write");
      if (pool.state === "deleting") throw BatchErrors.poolBeingDeleted(pool.id);
      await batch.pool.delete(pool.id);
      return acceptedResponse(202, pool.url);
    })
    .add("POST", "/pools/{poolId}/resize", async (request) => {
      const pool = await batch.pool.get(request.params.poolId as string);
      checkConditions(request, pool, "write");
      await batch.pool.resize(pool.id, jsonBody(request) as PoolResizeParameter);
      return acceptedResponse(202, pool.url);
    });
}
