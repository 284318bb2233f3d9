import type { BatchServiceClient } from "@azure/batch";
import type { ApplicationOperations } from "../../core/backend.js";
import type { ApplicationSummary } from "../../core/models/index.js";
import { listAll } from "./list-pages.js";
import { callService } from "./rest-error-mapping.js";
import { fromSdk } from "./sdk-models.js";

/** The account's applications through `client.application` (read-only: packages are managed through Azure Resource Manager). */
export class AzureApplicationOperations implements ApplicationOperations {
  constructor(private readonly client: BatchServiceClient) {}

  list(): Promise<ApplicationSummary[]> {
    return callService("Listing applications", () =>
      listAll<ApplicationSummary>(
        () => this.client.application.list(),
        (link) => this.client.application.listNext(link),
      ),
    );
  }

  get(applicationId: string): Promise<ApplicationSummary> {
    return callService(`Getting application '${applicationId}'`, async () => fromSdk<ApplicationSummary>(await this.client.application.get(applicationId)));
  }
}
