import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import type { ConditionalOptions } from "../../core/access-conditions.js";
import type { ExpandOptions, JobForceOptions, JobOperations, ReadOptions } from "../../core/backend.js";
import type { JobStatistics } from "../../core/models/index.js";
import { toSdkExpand } from "./sdk-expand.js";
import { BatchErrors } from "../../core/batch-errors.js";
import type {
  CloudJob,
  DisableJobOption,
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

/**
 * `force` came with api-version 2024-07-01.20.0; @azure/batch 10.2.0 speaks 2022-10-01.16.0 and its
 * `JobDeleteMethodOptions`/`JobTerminateOptions` have no such parameter, so it cannot be sent: the
 * call is refused rather than sent without it.
 */
function refuseForce(options: JobForceOptions): void {
  if (options.force) {
    throw BatchErrors.unsupportedQueryParameter("force", "The Azure backend's @azure/batch 10.2.0 (api-version 2022-10-01.16.0) cannot send force.");
  }
}

/** Jobs through `client.job`. */
export class AzureJobOperations implements JobOperations {
  constructor(private readonly client: BatchServiceClient) {}

  async add(job: JobAddParameter): Promise<CloudJob> {
    await callService(`Adding job '${job.id}'`, () => this.client.job.add(toSdk<BatchServiceModels.JobAddParameter>("JobAddParameter", job)));
    return this.get(job.id);
  }

  get(jobId: string, options: ReadOptions = {}): Promise<CloudJob> {
    const jobGetOptions = { ...toSdkConditions(options.conditions), ...toSdkExpand(options) };
    return callService(`Getting job '${jobId}'`, async () => fromSdk<CloudJob>(await this.client.job.get(jobId, { jobGetOptions })), options.conditions);
  }

  list(options?: ExpandOptions): Promise<CloudJob[]> {
    return callService("Listing jobs", () =>
      listAll<CloudJob>(
        () => this.client.job.list({ jobListOptions: toSdkExpand(options) }),
        (link) => this.client.job.listNext(link),
      ),
    );
  }

  /** `client.job.getAllLifetimeStatistics` (api-version 2022-10-01.16.0 has it; the service retired it in April 2023). */
  getAllLifetimeStatistics(): Promise<JobStatistics> {
    return callService("Getting the jobs' lifetime statistics", async () => fromSdk<JobStatistics>(await this.client.job.getAllLifetimeStatistics()));
  }

  async delete(jobId: string, options: JobForceOptions = {}): Promise<void> {
    refuseForce(options);
    const jobDeleteMethodOptions = toSdkConditions(options.conditions);
    await callService(`Deleting job '${jobId}'`, () => this.client.job.deleteMethod(jobId, { jobDeleteMethodOptions }));
  }

  async terminate(jobId: string, terminateReason?: string, options: JobForceOptions = {}): Promise<void> {
    refuseForce(options);
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

  async disable(jobId: string, disableTasks: DisableJobOption, options: ConditionalOptions = {}): Promise<void> {
    const jobDisableOptions = toSdkConditions(options.conditions);
    await callService(`Disabling job '${jobId}'`, () => this.client.job.disable(jobId, disableTasks, { jobDisableOptions }), options.conditions);
  }

  async enable(jobId: string, options: ConditionalOptions = {}): Promise<void> {
    const jobEnableOptions = toSdkConditions(options.conditions);
    await callService(`Enabling job '${jobId}'`, () => this.client.job.enable(jobId, { jobEnableOptions }), options.conditions);
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
