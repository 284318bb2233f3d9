import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import type { ConditionalOptions } from "../../core/access-conditions.js";
import type { ExpandOptions, ReadOptions, TaskOperations } from "../../core/backend.js";
import { toSdkExpand } from "./sdk-expand.js";
import type { CloudTask, SubtaskInformation, TaskAddParameter, TaskAddResult, TaskUpdateParameter } from "../../core/models/index.js";
import { listAll } from "./list-pages.js";
import { callService } from "./rest-error-mapping.js";
import { toSdkConditions } from "./sdk-conditions.js";
import { fromSdk, toSdk } from "./sdk-models.js";
import { chunkTasks, inSubmittedOrder } from "./task-collection-chunks.js";

/** Tasks through `client.task`. */
export class AzureTaskOperations implements TaskOperations {
  constructor(private readonly client: BatchServiceClient) {}

  async add(jobId: string, task: TaskAddParameter): Promise<CloudTask> {
    await callService(`Adding task '${task.id}' to job '${jobId}'`, () =>
      this.client.task.add(jobId, toSdk<BatchServiceModels.TaskAddParameter>("TaskAddParameter", task)),
    );
    return this.get(jobId, task.id);
  }

  /**
   * Any number of tasks, in requests of at most 100 tasks and under 1 MB, one after another;
   * the results come back in the order the tasks were given. A request the service refuses as
   * a whole fails the call; tasks of earlier requests stay added.
   */
  async addCollection(jobId: string, tasks: TaskAddParameter[]): Promise<TaskAddResult[]> {
    const results: TaskAddResult[] = [];
    for (const chunk of chunkTasks(tasks.map((task) => toSdk<BatchServiceModels.TaskAddParameter & TaskAddParameter>("TaskAddParameter", task)))) {
      const what = `Adding ${chunk.length} task(s) to job '${jobId}'`;
      const response = await callService(what, () => this.client.task.addCollection(jobId, chunk));
      results.push(...inSubmittedOrder(chunk, fromSdk<{ value?: TaskAddResult[] }>(response).value ?? []));
    }
    return results;
  }

  get(jobId: string, taskId: string, options: ReadOptions = {}): Promise<CloudTask> {
    const taskGetOptions = { ...toSdkConditions(options.conditions), ...toSdkExpand(options) };
    return callService(
      `Getting task '${taskId}' of job '${jobId}'`,
      async () => fromSdk<CloudTask>(await this.client.task.get(jobId, taskId, { taskGetOptions })),
      options.conditions,
    );
  }

  list(jobId: string, options?: ExpandOptions): Promise<CloudTask[]> {
    return callService(`Listing the tasks of job '${jobId}'`, () =>
      listAll<CloudTask>(
        () => this.client.task.list(jobId, { taskListOptions: toSdkExpand(options) }),
        (link) => this.client.task.listNext(link),
      ),
    );
  }

  /** One response holds every subtask (the operation has no paging). */
  listSubtasks(jobId: string, taskId: string): Promise<SubtaskInformation[]> {
    return callService(
      `Listing the subtasks of task '${taskId}' of job '${jobId}'`,
      async () => fromSdk<{ value?: SubtaskInformation[] }>(await this.client.task.listSubtasks(jobId, taskId)).value ?? [],
    );
  }

  async terminate(jobId: string, taskId: string, options: ConditionalOptions = {}): Promise<void> {
    const taskTerminateOptions = toSdkConditions(options.conditions);
    await callService(`Terminating task '${taskId}' of job '${jobId}'`, () => this.client.task.terminate(jobId, taskId, { taskTerminateOptions }));
  }

  async delete(jobId: string, taskId: string, options: ConditionalOptions = {}): Promise<void> {
    const taskDeleteMethodOptions = toSdkConditions(options.conditions);
    await callService(`Deleting task '${taskId}' of job '${jobId}'`, () => this.client.task.deleteMethod(jobId, taskId, { taskDeleteMethodOptions }));
  }

  /** `client.task.update`, then the task as the service has it afterwards. */
  async update(jobId: string, taskId: string, parameter: TaskUpdateParameter, options: ConditionalOptions = {}): Promise<CloudTask> {
    const taskUpdateOptions = toSdkConditions(options.conditions);
    const constraints = parameter.constraints && toSdk<BatchServiceModels.TaskConstraints>("TaskConstraints", parameter.constraints);
    await callService(
      `Updating task '${taskId}' of job '${jobId}'`,
      () => this.client.task.update(jobId, taskId, constraints ? { constraints, taskUpdateOptions } : { taskUpdateOptions }),
      options.conditions,
    );
    return this.get(jobId, taskId);
  }

  async reactivate(jobId: string, taskId: string, options: ConditionalOptions = {}): Promise<void> {
    const taskReactivateOptions = toSdkConditions(options.conditions);
    await callService(
      `Reactivating task '${taskId}' of job '${jobId}'`,
      () => this.client.task.reactivate(jobId, taskId, { taskReactivateOptions }),
      options.conditions,
    );
  }
}
