import type { BatchService } from "../../core/backend.js";
import type { Router } from "../http/router.js";
import { jsonBody } from "../http/json-body.js";
import { accessConditions } from "../protocol/access-condition-headers.js";
import { entityUrl } from "../protocol/entity-url.js";
import { acceptedResponse, createdResponse, entityResponse, listResponse, updatedResponse } from "../protocol/responses.js";
import { parsePoolEnableAutoScale, parsePoolEvaluateAutoScale } from "../protocol/schemas/pool-autoscale-schemas.js";
import { parsePoolAdd } from "../protocol/schemas/pool-add-schema.js";
import { parsePoolResize } from "../protocol/schemas/pool-resize-schema.js";
import { parseNodeRemove } from "../protocol/schemas/node-remove-schema.js";
import { parsePoolPatch, parsePoolUpdateProperties } from "../protocol/schemas/pool-update-schema.js";
import { usageMetricsQuery } from "../protocol/usage-metrics-query.js";
import { expandOf } from "../protocol/expand.js";
import { lifetimeStatisticsResponse, requireRetiredOperation } from "../protocol/lifetime-statistics.js";

/** `/pools`: add, list (`$expand=stats`), `/lifetimepoolstats`, get, head, delete, resize, remove nodes, stop resize, patch, updateproperties, autoscale enable, disable and evaluate; `/poolusagemetrics`. */
export function addPoolRoutes(router: Router, batch: BatchService): void {
  router
    .add("POST", "/pools", async (request) => createdResponse(await batch.pool.add(jsonBody(request, parsePoolAdd))))
    .add("GET", "/pools", async (request) => listResponse(request, await batch.pool.list(expandOf(request)), "pools"))
    .add("GET", "/pools/{poolId}", async (request) => {
      const pool = await batch.pool.get(request.params.poolId, { conditions: accessConditions(request), ...expandOf(request) });
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
    })
    .add("PATCH", "/pools/{poolId}", async (request) => {
      const patch = jsonBody(request, parsePoolPatch);
      const pool = await batch.pool.patch(request.params.poolId, patch, { conditions: accessConditions(request) });
      return updatedResponse({ ...pool, url: entityUrl(request, "pools", request.params.poolId) });
    })
    .add("POST", "/pools/{poolId}/updateproperties", async (request) => {
      const replacement = jsonBody(request, parsePoolUpdateProperties);
      const pool = await batch.pool.updateProperties(request.params.poolId, replacement);
      return { ...updatedResponse({ ...pool, url: entityUrl(request, "pools", request.params.poolId) }), status: 204 };
    })
    .add("GET", "/lifetimepoolstats", async (request) => {
      requireRetiredOperation(request);
      return lifetimeStatisticsResponse(await batch.pool.getAllLifetimeStatistics());
    })
    .add("GET", "/poolusagemetrics", async (request) =>
      listResponse(request, await batch.pool.listUsageMetrics(usageMetricsQuery(request)), "poolusagemetrics"),
    )
    .add("POST", "/pools/{poolId}/enableautoscale", async (request) => {
      const parameter = jsonBody(request, parsePoolEnableAutoScale, { whenEmpty: () => ({}) });
      await batch.pool.enableAutoScale(request.params.poolId, parameter, { conditions: accessConditions(request) });
      return updatedResponse(await batch.pool.get(request.params.poolId));
    })
    .add("POST", "/pools/{poolId}/disableautoscale", async (request) => {
      await batch.pool.disableAutoScale(request.params.poolId);
      return updatedResponse(await batch.pool.get(request.params.poolId));
    })
    .add("POST", "/pools/{poolId}/evaluateautoscale", async (request) => {
      const { autoScaleFormula } = jsonBody(request, parsePoolEvaluateAutoScale);
      const run = await batch.pool.evaluateAutoScale(request.params.poolId, autoScaleFormula);
      const metadata = `${request.url.origin}/$metadata#Microsoft.Azure.Batch.Protocol.Entities.AutoScaleRun`;
      return { status: 200, headers: { DataServiceId: entityUrl(request, "pools", request.params.poolId) }, json: { "odata.metadata": metadata, ...run } };
    });
}
