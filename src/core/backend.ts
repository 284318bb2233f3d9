import type {
  AutoScaleRun,
  PoolEnableAutoScaleParameter,
  VirtualMachineConfiguration,
  CloudJob,
  CloudPool,
  CloudTask,
  ComputeNode,
  ComputeNodeUser,
  DisableJobOption,
  JobAddParameter,
  JobPatchParameter,
  JobPreparationAndReleaseTaskExecutionInformation,
  JobUpdateParameter,
  NodeFile,
  FileByteRange,
  NodeFileContent,
  PoolAddParameter,
  NodeRemoveParameter,
  PoolPatchParameter,
  PoolResizeParameter,
  PoolUpdatePropertiesParameter,
  PoolUsageMetrics,
  PoolUsageMetricsQuery,
  ApplicationSummary,
  TaskAddParameter,
  TaskAddResult,
  TaskCountsResult,
  TaskState,
  TaskUpdateParameter,
  CloudJobSchedule,
  JobScheduleAddParameter,
  JobSchedulePatchParameter,
  JobScheduleUpdateParameter,
  NodeUpdateUserParameter,
} from "./models/index.js";
import type { ConditionalOptions } from "./access-conditions.js";
import type { JobStatistics, PoolStatistics } from "./models/statistics.js";
import type { SubtaskInformation } from "./models/multi-instance.js";
import type {
  ComputeNodeDeallocateOption,
  ComputeNodeGetRemoteLoginSettingsResult,
  ComputeNodeRebootOption,
  ComputeNodeReimageOption,
  DisableComputeNodeSchedulingOption,
  NodeVMExtension,
  UploadBatchServiceLogsConfiguration,
  UploadBatchServiceLogsResult,
} from "./models/node-operations.js";

/**
 * The contract every backend fulfils. Semantics follow the Azure Batch service: ids are
 * case-preserving and case-insensitive, creates fail with `PoolExists`/`JobExists`/`TaskExists`,
 * lookups of missing entities fail with `PoolNotFound`/`JobNotFound`/`TaskNotFound`/`NodeNotFound`/
 * `FileNotFound`, and every failure is a `BatchError`.
 */

/** `$expand=stats`: the entities come with their `stats`; without it they have none. */
export interface ExpandOptions {
  withStats?: boolean;
}

/** A read of one entity: its conditions and what it expands. */
export type ReadOptions = ConditionalOptions & ExpandOptions;

export interface BlobItem {
  name: string;
  contentLength: number;
}

/** Blob storage as the tutorial uses it: containers, uploads, downloads and SAS URLs. */
export interface BlobStorage {
  readonly accountName: string;
  /** The account's blob endpoint, e.g. `http://127.0.0.1:10000/devstoreaccount1` (no trailing slash). */
  readonly blobEndpoint: string;
  /** Creates a container; resolves false when it already existed (the tutorial's `fail_on_exist=False`). */
  createContainer(name: string): Promise<boolean>;
  /** Deletes a container and its blobs; resolves false when there was none. */
  deleteContainer(name: string): Promise<boolean>;
  uploadFile(container: string, blobName: string, localPath: string): Promise<void>;
  uploadData(container: string, blobName: string, data: Buffer | string): Promise<void>;
  listBlobs(container: string, prefix?: string): Promise<BlobItem[]>;
  downloadToFile(container: string, blobName: string, localPath: string): Promise<void>;
  downloadToBuffer(container: string, blobName: string): Promise<Buffer>;
  /** A blob URL carrying a service SAS with the given permissions (`r`, `w`, ...). */
  blobSasUrl(container: string, blobName: string, permissions: string, expiresOn: Date): string;
  /** A container URL carrying a service SAS with the given permissions (`w`, `rl`, ...). */
  containerSasUrl(container: string, permissions: string, expiresOn: Date): string;
}

export interface PoolOperations {
  /** Creates the pool and starts allocating its nodes; resolves once the pool exists (201). */
  add(pool: PoolAddParameter): Promise<CloudPool>;
  /** `options.conditions` apply as for every read: `NotModified` (304) or `ConditionNotMet` (412). */
  get(poolId: string, options?: ReadOptions): Promise<CloudPool>;
  exists(poolId: string): Promise<boolean>;
  list(options?: ExpandOptions): Promise<CloudPool[]>;
  /** `Pool_GetAllLifetimeStatistics` (api-versions before 2023-05-01.17.0): every pool of the account, deleted ones too, over its lifetime. */
  getAllLifetimeStatistics(): Promise<PoolStatistics>;
  /** Marks the pool `deleting` and releases its nodes in the background (202); `PoolBeingDeleted` when it already is. */
  delete(poolId: string, options?: ConditionalOptions): Promise<void>;
  /** Changes the pool's target size (202); fails with `PoolNotSteady` while it resizes. */
  resize(poolId: string, resize: PoolResizeParameter, options?: ConditionalOptions): Promise<void>;
  /** Removes the listed nodes (202): they go `leavingpool` and the targets drop by as many; `PoolNotSteady` while the pool resizes. */
  removeNodes(poolId: string, remove: NodeRemoveParameter, options?: ConditionalOptions): Promise<void>;
  /** Stops a resize (202): allocation `stopping`, then `steady` at the nodes the pool has, with `resizeErrors` `ResizeStopped`. */
  stopResize(poolId: string, options?: ConditionalOptions): Promise<void>;
  /**
   * `Pool_Patch`: replaces what is given, keeps what is omitted; returns the pool afterwards. A new
   * start task or package list reaches nodes when they next start, as on the service. The VM
   * properties (`vmSize`, `virtualMachineConfiguration`, `taskSlotsPerNode`, ...) change only while
   * the pool has no nodes (409 otherwise).
   */
  patch(poolId: string, patch: PoolPatchParameter, options?: ConditionalOptions): Promise<CloudPool>;
  /**
   * `Pool_UpdateProperties`: replaces the start task, packages, metadata and communication mode;
   * omitted ones are removed. The operation takes no conditional headers.
   */
  updateProperties(poolId: string, replacement: PoolUpdatePropertiesParameter): Promise<CloudPool>;
  /** `Pool_ListUsageMetrics`: the pools' node time per aggregation interval, oldest first. */
  listUsageMetrics(query?: PoolUsageMetricsQuery): Promise<PoolUsageMetrics[]>;
  /**
   * Turns autoscale on, or changes the formula or interval of a pool that has it (200). The
   * formula is evaluated at once and then every interval; a new interval restarts the schedule
   * from now. `AutoScalingFormulaSyntaxError` (400) for a formula that does not parse.
   */
  enableAutoScale(poolId: string, parameter: PoolEnableAutoScaleParameter, options?: ConditionalOptions): Promise<void>;
  /** Turns autoscale off; the pool keeps its current target (200). */
  disableAutoScale(poolId: string): Promise<void>;
  /** Runs a formula against the pool without applying it; only on a pool with autoscale enabled. */
  evaluateAutoScale(poolId: string, autoScaleFormula: string): Promise<AutoScaleRun>;
}

/** The account's applications (`GET /applications`): 404 `ApplicationNotFound` for a missing one. */
export interface ApplicationOperations {
  list(): Promise<ApplicationSummary[]>;
  get(applicationId: string): Promise<ApplicationSummary>;
}

export interface ComputeNodeOperations {
  list(poolId: string): Promise<ComputeNode[]>;
  get(poolId: string, nodeId: string): Promise<ComputeNode>;
  /** Restarts the node (its start task runs again); running tasks are dealt with as `option` says (default `requeue`). */
  reboot(poolId: string, nodeId: string, option?: ComputeNodeRebootOption): Promise<void>;
  /** Reinstalls the node's operating system: as a reboot, and the node's disk is wiped. */
  reimage(poolId: string, nodeId: string, option?: ComputeNodeReimageOption): Promise<void>;
  /** Deallocates the node (api-version 2024-07-01 and later): it stops, keeping its disk, until `start`. */
  deallocate(poolId: string, nodeId: string, option?: ComputeNodeDeallocateOption): Promise<void>;
  /** Starts a deallocated node again. */
  start(poolId: string, nodeId: string): Promise<void>;
  /** No new task is scheduled on the node; running ones are dealt with as `option` says (default `requeue`). */
  disableScheduling(poolId: string, nodeId: string, option?: DisableComputeNodeSchedulingOption): Promise<void>;
  enableScheduling(poolId: string, nodeId: string): Promise<void>;
  /** Where the node can be logged in to (SSH on Linux nodes). */
  getRemoteLoginSettings(poolId: string, nodeId: string): Promise<ComputeNodeGetRemoteLoginSettingsResult>;
  /** Uploads the node's Batch service (agent) logs to a blob container. */
  uploadBatchServiceLogs(poolId: string, nodeId: string, configuration: UploadBatchServiceLogsConfiguration): Promise<UploadBatchServiceLogsResult>;
  /** The VM extensions installed on the node. */
  listExtensions(poolId: string, nodeId: string): Promise<NodeVMExtension[]>;
  getExtension(poolId: string, nodeId: string, extensionName: string): Promise<NodeVMExtension>;
  /**
   * `ComputeNode_AddUser` (201): a user account on the node, only while it is idle or running
   * (409 `NodeBeingCreated`, `NodeBeingStarted`, `NodeBeingRebooted`, `NodeBeingReimaged`,
   * `NodeStateUnusable`, else `OperationNotValidOnNode`); 409 `NodeUserExists` for a taken name.
   */
  addUser(poolId: string, nodeId: string, user: ComputeNodeUser): Promise<void>;
  /** `ComputeNode_UpdateUser` (200): replaces the account's password, expiry time and SSH key; 404 `NodeUserNotFound`. */
  updateUser(poolId: string, nodeId: string, userName: string, parameter: NodeUpdateUserParameter): Promise<void>;
  /** `ComputeNode_DeleteUser` (200): removes the account; 404 `NodeUserNotFound`. */
  deleteUser(poolId: string, nodeId: string, userName: string): Promise<void>;
}

/**
 * `force` (api-version 2024-07-01.20.0 and later) on job delete and terminate: the job is deleted
 * or completed even though its nodes have not finished processing it (its tasks still stopping).
 */
export interface JobForceOptions extends ConditionalOptions {
  force?: boolean;
}

export interface JobOperations {
  add(job: JobAddParameter): Promise<CloudJob>;
  get(jobId: string, options?: ReadOptions): Promise<CloudJob>;
  list(options?: ExpandOptions): Promise<CloudJob[]>;
  /** `Job_GetAllLifetimeStatistics` (api-versions before 2023-05-01.17.0): every job of the account, deleted ones too, over its lifetime. */
  getAllLifetimeStatistics(): Promise<JobStatistics>;
  /** Marks the job `deleting`, ends its running tasks and removes it with its tasks (202); `JobBeingDeleted` when it already is. */
  delete(jobId: string, options?: JobForceOptions): Promise<void>;
  /** Ends the job's running tasks and completes the job (202). */
  terminate(jobId: string, terminateReason?: string, options?: JobForceOptions): Promise<void>;
  getTaskCounts(jobId: string): Promise<TaskCountsResult>;
  /**
   * `Job_ListPreparationAndReleaseTaskStatus`: how the job's preparation and release tasks went on
   * each node that ran one; 409 `JobPreparationTaskNotSpecified` when the job has no preparation task.
   */
  listPreparationAndReleaseTaskStatus(jobId: string): Promise<JobPreparationAndReleaseTaskExecutionInformation[]>;
  /**
   * `Job_Patch`: changes the given properties and returns the job as it is afterwards. Refused
   * for a completed (`JobCompleted`) or deleting (`JobBeingDeleted`) job; a different pool only
   * while the job is disabled (409 `OperationInvalidForCurrentState`). Setting
   * `onAllTasksComplete: terminatejob` on a job whose tasks have all completed (or that has none)
   * terminates it with `AllTasksComplete`.
   */
  patch(jobId: string, patch: JobPatchParameter, options?: ConditionalOptions): Promise<CloudJob>;
  /** `Job_Update`: as `patch`, but the omitted updatable properties take their defaults. */
  update(jobId: string, replacement: JobUpdateParameter, options?: ConditionalOptions): Promise<CloudJob>;
  /**
   * `Job_Disable` (202): the job becomes `disabling`, its running tasks are requeued, terminated
   * or left to finish (`disableTasks`), then it is `disabled`; no task of it starts meanwhile.
   * A job already disabling or disabled is left as it is; any other state is 409 (`JobCompleted`,
   * `JobBeingTerminated`, `JobBeingDeleted`, `JobNotActive`).
   */
  disable(jobId: string, disableTasks: DisableJobOption, options?: ConditionalOptions): Promise<void>;
  /** `Job_Enable` (202): a disabled job goes through `enabling` back to `active`, and its tasks run again. */
  enable(jobId: string, options?: ConditionalOptions): Promise<void>;
}

/** What one page of a job's task list asks for (`maxresults`, the `$skiptoken` offset, `$filter`). */
export interface TaskPageQuery extends ExpandOptions {
  /** Matching tasks to pass over: the offset the page starts at. */
  skip: number;
  maxResults: number;
  /** Only tasks in this state: a state the list's `$filter` requires, so a backend can serve it from an index. */
  state?: TaskState;
  /** The whole `$filter`, over REST-shaped tasks; every task in the page matches it. */
  matches?: (task: CloudTask) => boolean;
}

/** One page of a job's tasks, in creation order (tasks in a given state: in the order they entered it). */
export interface TaskPage {
  value: CloudTask[];
  /** The `skip` of the next page, when more tasks match. */
  nextSkip?: number;
}

export interface TaskOperations {
  add(jobId: string, task: TaskAddParameter): Promise<CloudTask>;
  /**
   * Adds tasks as `addtaskcollection` does: each entry succeeds or fails on its own (`TaskExists`
   * for a duplicate id); a malformed collection fails as a whole. Any number of tasks may be
   * given: a backend talking to the service splits them into requests of at most 100 tasks and
   * 1 MB, as the service requires.
   */
  addCollection(jobId: string, tasks: TaskAddParameter[]): Promise<TaskAddResult[]>;
  get(jobId: string, taskId: string, options?: ReadOptions): Promise<CloudTask>;
  list(jobId: string, options?: ExpandOptions): Promise<CloudTask[]>;
  /** Optional: one page of the job's tasks at a cost that grows with the page, not the job (the server falls back to `list`). */
  listPage?(jobId: string, query: TaskPageQuery): Promise<TaskPage>;
  /** Ends a running task; its state becomes `completed` with failure code `TaskEnded`. */
  terminate(jobId: string, taskId: string, options?: ConditionalOptions): Promise<void>;
  delete(jobId: string, taskId: string, options?: ConditionalOptions): Promise<void>;
  /**
   * `Task_Update`: replaces the task's constraints (omitted ones take their defaults) in any state;
   * a running task's new `maxWallClockTime` counts from its start, a completed task's new
   * `retentionTime` from its end. Returns the task as it is afterwards.
   */
  update(jobId: string, taskId: string, parameter: TaskUpdateParameter, options?: ConditionalOptions): Promise<CloudTask>;
  /**
   * `Task_Reactivate`: a completed task that failed becomes `active` again, its retry count reset
   * and its previous exit code and failure gone. 409 `TaskNotCompleted` unless completed,
   * `TaskSucceeded` if it succeeded; refused while its job is completed, terminating or deleting.
   */
  reactivate(jobId: string, taskId: string, options?: ConditionalOptions): Promise<void>;
  /** The subtasks of a multi-instance task (the primary not among them); none for any other task. */
  listSubtasks(jobId: string, taskId: string): Promise<SubtaskInformation[]>;
}

/**
 * Job schedules: jobs created from a specification on a schedule, at most one active at a time.
 * Missing schedules fail with `JobScheduleNotFound`; changes to a schedule being deleted, being
 * terminated or completed fail with `JobScheduleBeingDeleted`, `JobScheduleBeingTerminated`,
 * `JobScheduleCompleted`.
 */
export interface JobScheduleOperations {
  /** Creates the schedule (201); its first job is created when it falls due. `JobScheduleExists` for a taken id. */
  add(jobSchedule: JobScheduleAddParameter): Promise<CloudJobSchedule>;
  get(jobScheduleId: string, options?: ReadOptions): Promise<CloudJobSchedule>;
  exists(jobScheduleId: string): Promise<boolean>;
  list(options?: ExpandOptions): Promise<CloudJobSchedule[]>;
  /** `JobSchedule_Patch`: changes what is given; jobs created afterwards follow it, the active job does not. */
  patch(jobScheduleId: string, patch: JobSchedulePatchParameter, options?: ConditionalOptions): Promise<CloudJobSchedule>;
  /** `JobSchedule_Update`: as `patch`, but an omitted schedule or metadata takes its default. */
  update(jobScheduleId: string, replacement: JobScheduleUpdateParameter, options?: ConditionalOptions): Promise<CloudJobSchedule>;
  /** No new job is created until the schedule is enabled; an active job runs on (204). */
  disable(jobScheduleId: string, options?: ConditionalOptions): Promise<void>;
  enable(jobScheduleId: string, options?: ConditionalOptions): Promise<void>;
  /** Terminates the active job (reason `TerminateJobSchedule`) and completes the schedule (202). */
  terminate(jobScheduleId: string, options?: ConditionalOptions): Promise<void>;
  /** Deletes the schedule with all its jobs and their tasks (202). */
  delete(jobScheduleId: string, options?: ConditionalOptions): Promise<void>;
  /** `Job_ListFromJobSchedule` (`GET /jobschedules/{id}/jobs`): the jobs the schedule created that still exist. */
  listJobs(jobScheduleId: string): Promise<CloudJob[]>;
}

/**
 * Task and node files. `openFrom*` streams a file (or a range of it) as it is read, whatever its
 * size; `getFrom*` is the whole file in memory, for small files (stdout, stderr).
 */
export interface FileOperations {
  /** Files of a task's directory (`stdout.txt`, `stderr.txt`, `wd/...`), names with `/`. */
  listFromTask(jobId: string, taskId: string, options?: { recursive?: boolean }): Promise<NodeFile[]>;
  /** A file's bytes, `range` of them if given (its end cut to the file's end); FileNotFound for what is not a readable file. */
  openFromTask(jobId: string, taskId: string, filePath: string, range?: FileByteRange): Promise<NodeFileContent>;
  getFromTask(jobId: string, taskId: string, filePath: string): Promise<Buffer>;
  getPropertiesFromTask(jobId: string, taskId: string, filePath: string): Promise<NodeFile>;
  listFromComputeNode(poolId: string, nodeId: string, options?: { recursive?: boolean }): Promise<NodeFile[]>;
  openFromComputeNode(poolId: string, nodeId: string, filePath: string, range?: FileByteRange): Promise<NodeFileContent>;
  getFromComputeNode(poolId: string, nodeId: string, filePath: string): Promise<Buffer>;
  getPropertiesFromComputeNode(poolId: string, nodeId: string, filePath: string): Promise<NodeFile>;
  /** Deletes a file, or a directory (with everything in it only if `recursive`; else it must be empty). FileNotFound if none. */
  deleteFromTask(jobId: string, taskId: string, filePath: string, options?: { recursive?: boolean }): Promise<void>;
  deleteFromComputeNode(poolId: string, nodeId: string, filePath: string, options?: { recursive?: boolean }): Promise<void>;
}

/** The Batch data plane, grouped as the SDKs group it. */
export interface BatchService {
  readonly pool: PoolOperations;
  readonly computeNode: ComputeNodeOperations;
  readonly job: JobOperations;
  readonly task: TaskOperations;
  readonly file: FileOperations;
  readonly jobSchedule: JobScheduleOperations;
  readonly application: ApplicationOperations;
  /**
   * Optional: calls `listener` after every change of the account's state and returns the
   * unsubscribe, for watchers such as the dashboard. A backend without it is polled.
   */
  watch?(listener: () => void): () => void;
}

export type BackendKind = "local" | "azure";

/** A container image tasks run in, with the registry it is pulled from. */
export interface TaskContainerImage {
  imageName: string;
  registry?: { registryServer: string; username?: string; password?: string };
}

/** The VM size and image of a backend's pools when a workload states no preference. */
export interface PoolPlacement {
  vmSize: string;
  virtualMachineConfiguration: VirtualMachineConfiguration;
}

/** One backend: Batch plus the blob storage its tasks use. `close()` releases everything it started. */
export interface Backend {
  readonly kind: BackendKind;
  readonly batch: BatchService;
  readonly storage: BlobStorage;
  /**
   * The image workloads should run their tasks in, when this backend's nodes run tasks in
   * containers (Azure: the task image from the user's registry). Undefined when the nodes
   * themselves are that image (local).
   */
  readonly taskContainer?: TaskContainerImage;
  /** Where this backend's pools run by default (Azure: a container-capable VM image). */
  readonly poolPlacement?: PoolPlacement;
  close(): Promise<void>;
}
