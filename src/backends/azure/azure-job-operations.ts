import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import type { JobOperations } from "../../core/backend.js";
import type { CloudJob, JobAddParameter, TaskCountsResult } from "../../core/models/index.js";
import { listAll } from "./list-pages.js";
import { callService } from "./rest-error-mapping.js";
import { fromSdk, toSdk } from "./sdk-models.js";

/** Jobs through `client.job`. */
export class AzureJobOperations implements JobOperations {
  constructor(private readonly client: BatchServiceClient) {}

  async add(job: JobAddParameter): Promise<CloudJob> {
    await callService(`Adding job '${job.id}'`, () => this.client.job.add(toSdk<BatchServiceModels.JobAddParameter>("JobAddParameter", job)));
    return this.get(job.id);
  }

  get(jobId: string): Promise<CloudJob> {
    return callService(`Getting job '${jobId}'`, async () => fromSdk<CloudJob>(await this.client.job.get(jobId)));
  }

  list(): Promise<CloudJob[]> {
    return callService("Listing jobs", () =>
      listAll<CloudJob>(
        () => this.client.job.list(),
        (link) => this.client.job.listNext(link),
      ),
    );
  }

  async delete(jobId: string): Promise<void> {
    await callService(`Deleting job '${jobId}'`, () => this.client.job.deleteMethod(jobId));
  }

  async terminate(jobId: string, terminateReason?: string): Promise<void> {
    await callService(`Terminating job '${jobId}'`, () => this.client.job.terminate(jobId, terminateReason === undefined ? {} : { terminateReason }));
  }

  getTaskCounts(jobId: string): Promise<TaskCountsResult> {
    return callService(`Counting the tasks of job '${jobId}'`, async () => fromSdk<TaskCountsResult>(await this.client.job.getTaskCounts(jobId)));
  }
}
