import type { FaultInjector } from "../../core/faults.js";
import { jsonBody } from "../http/json-body.js";
import type { Router } from "../http/router.js";
import { parseFault } from "../protocol/schemas/fault-schema.js";

/** `POST /malachite/faults`: Malachite's own fault-injection endpoint, signed like every request. */
export function addFaultRoutes(router: Router, faults: FaultInjector): void {
  router.add("POST", "/malachite/faults", async (request) => {
    await faults.inject(jsonBody(request, parseFault));
    return { status: 204 };
  });
}
