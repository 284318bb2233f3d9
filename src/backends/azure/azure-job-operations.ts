import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import type { ConditionalOptions } from "../../core/access-conditions.js";
import type { JobOperations } from "../../core/backend.js";
import type {
  CloudJob,
  JobAddParameter,
  JobPatchParameter,
  JobPreparationAndReleaseTaskExecutionInformation,
  JobUpdateParameter,
  TaskCountsResult,
} from "../../core/models/index.js";
import { listAll } from "./list-pages.js";
import { callService } from "./rest-error-mapping.js";
import { toSdkConditions } from "./sdk-conditions.js";
import { fromSdk, toSdk } from "./sdk-models.js";

/** Jobs through `client.job`. */
export class AzureJobOperations implements JobOperations {
  constructor(private readonly client: BatchServiceClient) {}

  async add(job: JobAddParameter): Promise<CloudJob> {
    await callService(`Adding job '${job.id}'`, () => this.client.job.add(toSdk<BatchServiceModels.JobAddParameter>("JobAddParameter", job)));
    return this.get(job.id);
  }

  get(jobId: string, options: ConditionalOptions = {}): Promise<CloudJob> {
    const jobGetOptions = toSdkConditions(options.conditions);
    return callService(`Getting job '${jobId}'`, async () => fromSdk<CloudJob>(await this.client.job.get(jobId, { jobGetOptions })), options.conditions);
  }

  list(): Promise<CloudJob[]> {
    return callService("Listing jobs", () =>
      listAll<CloudJob>(
        () => this.client.job.list(),
        (link) => this.client.job.listNext(link),
      ),
    );
  }

  async delete(jobId: string, options: ConditionalOptions = {}): Promise<void> {
    const jobDeleteMethodOptions = toSdkConditions(options.conditions);
    await callService(`Deleting job '${jobId}'`, () => this.client.job.deleteMethod(jobId, { jobDeleteMethodOptions }));
  }

  async terminate(jobId: string, terminateReason?: string, options: ConditionalOptions = {}): Promise<void> {
    const jobTerminateOptions = toSdkConditions(options.conditions);
    await callService(`Terminating job '${jobId}'`, () =>
      this.client.job.terminate(jobId, terminateReason === undefined ? { jobTerminateOptions } : { terminateReason, jobTerminateOptions }),
    );
  }

  /** `client.job.patch`, then the job as the service has it afterwards. */
  async patch(jobId: string, patch: JobPatchParameter, options: ConditionalOptions = {}): Promise<CloudJob> {
    const jobPatchOptions = toSdkConditions(options.conditions);
    const parameter = toSdk<BatchServiceModels.JobPatchParameter>("JobPatchParameter", patch);
    await callService(`Patching job '${jobId}'`, () => this.client.job.patch(jobId, parameter, { jobPatchOptions }), options.conditions);
    return this.get(jobId);
  }

  /** `client.job.update` (the REST PUT), then the job as the service has it afterwards. */
  async update(jobId: string, replacement: JobUpdateParameter, options: ConditionalOptions = {}): Promise<CloudJob> {
    const jobUpdateOptions = toSdkConditions(options.conditions);
    const parameter = toSdk<BatchServiceModels.JobUpdateParameter>("JobUpdateParameter", replacement);
    await callService(`Updating job '${jobId}'`, () => this.client.job.update(jobId, parameter, { jobUpdateOptions }), options.conditions);
    return this.get(jobId);
  }

  /** `client.job.listPreparationAndReleaseTaskStatus`, every page. */
  listPreparationAndReleaseTaskStatus(jobId: string): Promise<JobPreparationAndReleaseTaskExecutionInformation[]> {
    return callService(`Listing the preparation and release task status of job '${jobId}'`, () =>
      listAll<JobPreparationAndReleaseTaskExecutionInformation>(
        () => this.client.job.listPreparationAndReleaseTaskStatus(jobId),
        (link) => this.client.job.listPreparationAndReleaseTaskStatusNext(link),
      ),
    );
  }

  getTaskCounts(jobId: string): Promise<TaskCountsResult> {
    return callService(`Counting the tasks of job '${jobId}'`, async () => fromSdk<TaskCountsResult>(await this.client.job.getTaskCounts(jobId)));
  }
}
