import type { BatchService } from "../../core/backend.js";
import type { Router } from "../http/router.js";
import { listResponse, plainEntityResponse } from "../protocol/responses.js";

/** `GET /applications` and `GET /applications/{applicationId}`: the account's application packages. */
export function addApplicationRoutes(router: Router, batch: BatchService): void {
  router
    .add("GET", "/applications", async (request) => listResponse(request, await batch.application.list(), "applications"))
    .add("GET", "/applications/{applicationId}", async (request) =>
      plainEntityResponse(request, await batch.application.get(request.params.applicationId), "applications"),
    );
}
