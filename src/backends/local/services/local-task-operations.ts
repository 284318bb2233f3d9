import { checkAccessConditions, type ConditionalOptions } from "../../../core/access-conditions.js";
import type { ExpandOptions, ReadOptions, TaskOperations, TaskPage, TaskPageQuery } from "../../../core/backend.js";
import { BatchError, isBatchError } from "../../../core/batch-error.js";
import { BatchErrors } from "../../../core/batch-errors.js";
import type { CloudTask, SubtaskInformation, TaskAddParameter, TaskAddResult, TaskUpdateParameter } from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import { validateTaskAdd } from "../../../core/validation/validate-add.js";
import { validateTaskForJob } from "../../../core/validation/validate-dependencies.js";
import { INFINITE_DURATION } from "../../../core/validation/durations.js";
import { taskDirectory } from "../execution/node-layout.js";
import { NodeRootFs } from "../files/node-root-fs.js";
import { isoNow, newETag } from "../state/clock.js";
import type { JobRecord, TaskRecord } from "../state/records.js";
import { taskSnapshot } from "../state/task-snapshot.js";
import { taskStatistics, taskTotals } from "./entity-statistics.js";
import { taskIndexOf } from "../state/job-task-index.js";
import { taskPage } from "./task-pages.js";
import { entityUrl } from "./entity-urls.js";
import type { JobLifecycle } from "./job-lifecycle.js";
import { containerSettingsWithoutSecrets, validateContainerSettings } from "./container-validation.js";
import type { LocalContext } from "./local-context.js";
import { reactivateTask } from "./task-reactivation.js";
import type { TaskRetention } from "./task-retention.js";
import { updateTask } from "./task-update.js";
import { checkTaskIdFree } from "./job-task-ids.js";

export class LocalTaskOperations implements TaskOperations {
  constructor(
    private readonly ctx: LocalContext,
    private readonly lifecycle: JobLifecycle,
    private readonly retention: TaskRetention,
  ) {}

  private activeJob(jobId: string): JobRecord {
    const job = this.ctx.state.jobRecord(jobId);
    if (job.job.state === "deleting") throw BatchErrors.jobBeingDeleted(jobId);
    if (job.job.state === "completed" || job.job.state === "terminating") throw BatchErrors.jobCompleted(jobId);
    return job;
  }

  private checkSupported(job: JobRecord, parameter: TaskAddParameter): void {
    validateTaskForJob(job.job, parameter);
    validateContainerSettings("containerSettings", parameter.containerSettings);
  }

  private insert(job: JobRecord, parameter: TaskAddParameter): TaskRecord {
    if (job.tasks.has(idKey(parameter.id))) throw BatchErrors.taskExists(parameter.id);
    checkTaskIdFree(job.job, parameter.id);
    const now = isoNow(this.ctx.clock);
    const task: CloudTask = {
      ...structuredClone(parameter),
      ...(parameter.containerSettings ? { containerSettings: containerSettingsWithoutSecrets(structuredClone(parameter.containerSettings)) } : {}),
      url: entityUrl(this.ctx.settings.accountUrl, "jobs", job.job.id, "tasks", parameter.id),
      eTag: newETag(this.ctx.clock),
      lastModified: now,
      creationTime: now,
      state: "active",
      stateTransitionTime: now,
      requiredSlots: parameter.requiredSlots ?? 1,
      constraints: {
        maxWallClockTime: parameter.constraints?.maxWallClockTime ?? INFINITE_DURATION,
        retentionTime: parameter.constraints?.retentionTime ?? "P7D",
        maxTaskRetryCount: parameter.constraints?.maxTaskRetryCount ?? job.job.constraints?.maxTaskRetryCount ?? 0,
      },
      executionInfo: { retryCount: 0, requeueCount: 0 },
    };
    const record: TaskRecord = { jobId: job.job.id, task, sequence: job.nextTaskSequence++ };
    this.ctx.state.addTask(job, record);
    this.lifecycle.dependencies.added(job, record);
    return record;
  }

  async add(jobId: string, parameter: TaskAddParameter): Promise<CloudTask> {
    const job = this.activeJob(jobId);
    validateTaskAdd(parameter);
    this.checkSupported(job, parameter);
    const record = this.insert(job, parameter);
    this.ctx.requestScheduling();
    return taskSnapshot(record);
  }

  async addCollection(jobId: string, tasks: TaskAddParameter[]): Promise<TaskAddResult[]> {
    const job = this.activeJob(jobId);
    if (!Array.isArray(tasks)) throw BatchErrors.missingProperty("value");
    tasks.forEach((task, index) => {
      try {
        validateTaskAdd(task);
      } catch (error) {
        if (isBatchError(error)) throw new BatchError(error.statusCode, error.code, `value[${index}]: ${error.message}`, error.values);
        throw error;
      }
    });
    const results = tasks.map((parameter): TaskAddResult => {
      try {
        this.checkSupported(job, parameter);
        const { task } = this.insert(job, parameter);
        return { status: "success", taskId: task.id, eTag: task.eTag, lastModified: task.lastModified, location: task.url };
      } catch (error) {
        if (!isBatchError(error)) throw error;
        return { status: error.statusCode >= 500 ? "servererror" : "clienterror", taskId: parameter.id, error: error.toBody() };
      }
    });
    this.ctx.requestScheduling();
    return results;
  }

  /** The job's Job Manager Task, added as its first task when the job is created (job-manager.ts); checked with the job. */
  addJobManager(job: JobRecord, parameter: TaskAddParameter): void {
    this.insert(job, parameter);
    this.ctx.requestScheduling();
  }

  async get(jobId: string, taskId: string, options?: ReadOptions): Promise<CloudTask> {
    const record = this.ctx.state.taskRecord(jobId, taskId);
    checkAccessConditions(record.task, options?.conditions, "read");
    return this.reported(record, options);
  }

  /** Frozen copies shared until each task changes (task-snapshot.ts), in creation order. */
  async list(jobId: string, options?: ExpandOptions): Promise<CloudTask[]> {
    return [...taskIndexOf(this.ctx.state.jobRecord(jobId)).inOrder()].map((record) => this.reported(record, options));
  }

  async listPage(jobId: string, query: TaskPageQuery): Promise<TaskPage> {
    return taskPage(this.ctx.state.jobRecord(jobId), query, (record) => this.reported(record, query));
  }

  /** The task's snapshot; with its statistics, which change with the clock, on a copy of its top level. */
  private reported(record: TaskRecord, options: ExpandOptions | undefined): CloudTask {
    const snapshot = taskSnapshot(record);
    return options?.withStats ? { ...snapshot, stats: taskStatistics(record, this.ctx.clock.now()) } : snapshot;
  }

  async listSubtasks(jobId: string, taskId: string): Promise<SubtaskInformation[]> {
    return structuredClone(this.ctx.state.taskRecord(jobId, taskId).subtasks ?? []);
  }

  async terminate(jobId: string, taskId: string, options?: ConditionalOptions): Promise<void> {
    const job = this.ctx.state.jobRecord(jobId);
    const record = this.ctx.state.taskRecord(jobId, taskId);
    const task = record.task;
    checkAccessConditions(task, options?.conditions, "write");
    if (task.state === "completed") throw BatchErrors.taskCompleted(taskId);
    if (record.abort) {
      record.abort.abort("terminate");
      return;
    }
    this.ctx.states.task.transition(record, "completed", {
      executionInfo: {
        ...task.executionInfo,
        endTime: isoNow(this.ctx.clock),
        result: "failure",
        failureInfo: { category: "usererror", code: "TaskEnded", message: "Task Was Ended by User Request" },
      },
    });
    this.lifecycle.onTaskCompleted(job, record);
    this.ctx.requestScheduling();
  }

  async delete(jobId: string, taskId: string, options?: ConditionalOptions): Promise<void> {
    const job = this.ctx.state.jobRecord(jobId);
    const record = this.ctx.state.taskRecord(jobId, taskId);
    checkAccessConditions(record.task, options?.conditions, "write");
    record.abort?.abort("delete");
    this.retention.forget(record);
    this.ctx.retired.retire(taskTotals([record], this.ctx.clock.now()), job.job.creationTime);
    this.ctx.state.removeTask(job, record);
    this.lifecycle.onTaskDeleted(job, record);
    const node = this.ctx.state.nodeOfTask(job, record);
    if (!node) return;
    const dir = taskDirectory(job.job.id, record.task.id);
    const run = record.run;
    const removal = (async () => {
      await run;
      await new NodeRootFs(node.hostRoot).remove(dir);
    })();
    this.ctx.background.track(`removing the directory of task ${job.job.id}/${record.task.id}`, removal);
  }

  async update(jobId: string, taskId: string, parameter: TaskUpdateParameter, options?: ConditionalOptions): Promise<CloudTask> {
    return structuredClone(updateTask(this.ctx, this.retention, { jobId, taskId }, parameter, options));
  }

  async reactivate(jobId: string, taskId: string, options?: ConditionalOptions): Promise<void> {
    reactivateTask(this.ctx, { jobId, taskId }, options);
  }
}
