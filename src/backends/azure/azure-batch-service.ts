import type { BatchServiceClient } from "@azure/batch";
import type { BatchService, PoolPlacement } from "../../core/backend.js";
import { AzureApplicationOperations } from "./azure-application-operations.js";
import { AzureComputeNodeOperations } from "./azure-compute-node-operations.js";
import { AzureFileOperations } from "./azure-file-operations.js";
import { AzureJobOperations } from "./azure-job-operations.js";
import { AzureJobScheduleOperations } from "./azure-job-schedule-operations.js";
import { AzurePoolOperations } from "./azure-pool-operations.js";
import { AzureTaskOperations } from "./azure-task-operations.js";

/** The Batch data plane of one Azure Batch account, through `@azure/batch`'s BatchServiceClient. */
export class AzureBatchService implements BatchService {
  readonly pool: AzurePoolOperations;
  readonly computeNode: AzureComputeNodeOperations;
  readonly job: AzureJobOperations;
  readonly task: AzureTaskOperations;
  readonly file: AzureFileOperations;
  readonly jobSchedule: AzureJobScheduleOperations;
  readonly application: AzureApplicationOperations;

  constructor(client: BatchServiceClient, placement: PoolPlacement) {
    this.pool = new AzurePoolOperations(client, placement);
    this.computeNode = new AzureComputeNodeOperations(client);
    this.job = new AzureJobOperations(client);
    this.task = new AzureTaskOperations(client);
    this.file = new AzureFileOperations(client);
    this.jobSchedule = new AzureJobScheduleOperations(client);
    this.application = new AzureApplicationOperations(client);
  }
}
