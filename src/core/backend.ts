import type {
  VirtualMachineConfiguration,
  CloudJob,
  CloudPool,
  CloudTask,
  ComputeNode,
  JobAddParameter,
  JobPatchParameter,
  JobUpdateParameter,
  NodeFile,
  FileByteRange,
  NodeFileContent,
  PoolAddParameter,
  PoolResizeParameter,
  TaskAddParameter,
  TaskAddResult,
  TaskCountsResult,
} from "./models/index.js";
import type { ConditionalOptions } from "./access-conditions.js";

/**
 * The contract every backend fulfils. Semantics follow the Azure Batch service: ids are
 * case-preserving and case-insensitive, creates fail with `PoolExists`/`JobExists`/`TaskExists`,
 * lookups of missing entities fail with `PoolNotFound`/`JobNotFound`/`TaskNotFound`/`NodeNotFound`/
 * `FileNotFound`, and every failure is a `BatchError`.
 */

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
  get(poolId: string, options?: ConditionalOptions): Promise<CloudPool>;
  exists(poolId: string): Promise<boolean>;
  list(): Promise<CloudPool[]>;
  /** Marks the pool `deleting` and releases its nodes in the background (202); `PoolBeingDeleted` when it already is. */
  delete(poolId: string, options?: ConditionalOptions): Promise<void>;
  /** Changes the pool's target size (202); fails with `PoolNotSteady` while it resizes. */
  resize(poolId: string, resize: PoolResizeParameter, options?: ConditionalOptions): Promise<void>;
}

export interface ComputeNodeOperations {
  list(poolId: string): Promise<ComputeNode[]>;
  get(poolId: string, nodeId: string): Promise<ComputeNode>;
}

export interface JobOperations {
  add(job: JobAddParameter): Promise<CloudJob>;
  get(jobId: string, options?: ConditionalOptions): Promise<CloudJob>;
  list(): Promise<CloudJob[]>;
  /** Marks the job `deleting`, ends its running tasks and removes it with its tasks (202); `JobBeingDeleted` when it already is. */
  delete(jobId: string, options?: ConditionalOptions): Promise<void>;
  /** Ends the job's running tasks and completes the job (202). */
  terminate(jobId: string, terminateReason?: string, options?: ConditionalOptions): Promise<void>;
  getTaskCounts(jobId: string): Promise<TaskCountsResult>;
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
  get(jobId: string, taskId: string, options?: ConditionalOptions): Promise<CloudTask>;
  list(jobId: string): Promise<CloudTask[]>;
  /** Ends a running task; its state becomes `completed` with failure code `TaskEnded`. */
  terminate(jobId: string, taskId: string, options?: ConditionalOptions): Promise<void>;
  delete(jobId: string, taskId: string, options?: ConditionalOptions): Promise<void>;
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
}

/** The Batch data plane, grouped as the SDKs group it. */
export interface BatchService {
  readonly pool: PoolOperations;
  readonly computeNode: ComputeNodeOperations;
  readonly job: JobOperations;
  readonly task: TaskOperations;
  readonly file: FileOperations;
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
