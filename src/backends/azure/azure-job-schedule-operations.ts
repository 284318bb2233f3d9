import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import type { ConditionalOptions } from "../../core/access-conditions.js";
import type { ExpandOptions, JobScheduleOperations, ReadOptions } from "../../core/backend.js";
import { toSdkExpand } from "./sdk-expand.js";
import type { CloudJob, CloudJobSchedule, JobScheduleAddParameter, JobSchedulePatchParameter, JobScheduleUpdateParameter } from "../../core/models/index.js";
import { listAll } from "./list-pages.js";
import { callService } from "./rest-error-mapping.js";
import { toSdkConditions } from "./sdk-conditions.js";
import { fromSdk, toSdk } from "./sdk-models.js";

/** Job schedules through `client.jobSchedule`, and their jobs through `client.job.listFromJobSchedule`. */
export class AzureJobScheduleOperations implements JobScheduleOperations {
  constructor(private readonly client: BatchServiceClient) {}

  async add(jobSchedule: JobScheduleAddParameter): Promise<CloudJobSchedule> {
    const parameter = toSdk<BatchServiceModels.JobScheduleAddParameter>("JobScheduleAddParameter", jobSchedule);
    await callService(`Adding job schedule '${jobSchedule.id}'`, () => this.client.jobSchedule.add(parameter));
    return this.get(jobSchedule.id);
  }

  get(jobScheduleId: string, options: ReadOptions = {}): Promise<CloudJobSchedule> {
    const jobScheduleGetOptions = { ...toSdkConditions(options.conditions), ...toSdkExpand(options) };
    return callService(
      `Getting job schedule '${jobScheduleId}'`,
      async () => fromSdk<CloudJobSchedule>(await this.client.jobSchedule.get(jobScheduleId, { jobScheduleGetOptions })),
      options.conditions,
    );
  }

  exists(jobScheduleId: string): Promise<boolean> {
    return callService(`Checking job schedule '${jobScheduleId}'`, async () => (await this.client.jobSchedule.exists(jobScheduleId)).body === true);
  }

  list(options?: ExpandOptions): Promise<CloudJobSchedule[]> {
    return callService("Listing job schedules", () =>
      listAll<CloudJobSchedule>(
        () => this.client.jobSchedule.list({ jobScheduleListOptions: toSdkExpand(options) }),
        (link) => this.client.jobSchedule.listNext(link),
      ),
    );
  }

  /** `client.jobSchedule.patch`, then the schedule as the service has it afterwards. */
  async patch(jobScheduleId: string, patch: JobSchedulePatchParameter, options: ConditionalOptions = {}): Promise<CloudJobSchedule> {
    const jobSchedulePatchOptions = toSdkConditions(options.conditions);
    const parameter = toSdk<BatchServiceModels.JobSchedulePatchParameter>("JobSchedulePatchParameter", patch);
    await callService(`Patching job schedule '${jobScheduleId}'`, () => this.client.jobSchedule.patch(jobScheduleId, parameter, { jobSchedulePatchOptions }));
    return this.get(jobScheduleId);
  }

  /** `client.jobSchedule.update` (the REST PUT); an omitted schedule is sent as the default one (`{}`), which the SDK requires. */
  async update(jobScheduleId: string, replacement: JobScheduleUpdateParameter, options: ConditionalOptions = {}): Promise<CloudJobSchedule> {
    const jobScheduleUpdateOptions = toSdkConditions(options.conditions);
    const parameter = toSdk<BatchServiceModels.JobScheduleUpdateParameter>("JobScheduleUpdateParameter", {
      ...replacement,
      schedule: replacement.schedule ?? {},
    });
    await callService(`Updating job schedule '${jobScheduleId}'`, () => this.client.jobSchedule.update(jobScheduleId, parameter, { jobScheduleUpdateOptions }));
    return this.get(jobScheduleId);
  }

  async disable(jobScheduleId: string, options: ConditionalOptions = {}): Promise<void> {
    const jobScheduleDisableOptions = toSdkConditions(options.conditions);
    await callService(`Disabling job schedule '${jobScheduleId}'`, () => this.client.jobSchedule.disable(jobScheduleId, { jobScheduleDisableOptions }));
  }

  async enable(jobScheduleId: string, options: ConditionalOptions = {}): Promise<void> {
    const jobScheduleEnableOptions = toSdkConditions(options.conditions);
    await callService(`Enabling job schedule '${jobScheduleId}'`, () => this.client.jobSchedule.enable(jobScheduleId, { jobScheduleEnableOptions }));
  }

  async terminate(jobScheduleId: string, options: ConditionalOptions = {}): Promise<void> {
    const jobScheduleTerminateOptions = toSdkConditions(options.conditions);
    await callService(`Terminating job schedule '${jobScheduleId}'`, () => this.client.jobSchedule.terminate(jobScheduleId, { jobScheduleTerminateOptions }));
  }

  async delete(jobScheduleId: string, options: ConditionalOptions = {}): Promise<void> {
    const jobScheduleDeleteMethodOptions = toSdkConditions(options.conditions);
    await callService(`Deleting job schedule '${jobScheduleId}'`, () =>
      this.client.jobSchedule.deleteMethod(jobScheduleId, { jobScheduleDeleteMethodOptions }),
    );
  }

  listJobs(jobScheduleId: string): Promise<CloudJob[]> {
    return callService(`Listing the jobs of job schedule '${jobScheduleId}'`, () =>
      listAll<CloudJob>(
        () => this.client.job.listFromJobSchedule(jobScheduleId),
        (link) => this.client.job.listFromJobScheduleNext(link),
      ),
    );
  }
}
