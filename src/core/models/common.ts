import type { ContainerRegistry } from "./pool.js";

/**
 * Value objects shared by pools, jobs and tasks, named as the Azure Batch REST API names them
 * (api-version 2022-10-01.16.0 and later; older spellings are translated at the protocol edge).
 */

export interface NameValuePair {
  name: string;
  value: string;
}

export interface EnvironmentSetting {
  name: string;
  value?: string;
}

/** A file the service downloads into a task's working directory before the command runs. */
export interface ResourceFile {
  /** A URL of one blob, readable without further credentials (e.g. a blob SAS URL). */
  httpUrl?: string;
  /** A URL of a whole container (with read and list permission); `filePath` is then a directory. */
  storageContainerUrl?: string;
  /** A container of the account's linked storage. */
  autoStorageContainerName?: string;
  /** Only blobs whose names start with this prefix, for container sources. */
  blobPrefix?: string;
  /** Where the file goes, relative to the task's working directory; no `..`. */
  filePath?: string;
  /** Octal file mode on Linux, default `0770`. */
  fileMode?: string;
}

export type OutputFileUploadCondition = "tasksuccess" | "taskfailure" | "taskcompletion";

export interface OutputFileBlobContainerDestination {
  /** A container URL with write permission (a container SAS URL). */
  containerUrl: string;
  /** The blob (for one file) or virtual directory (for a pattern) to upload to. */
  path?: string;
  uploadHeaders?: { name: string; value?: string }[];
}

/** A file the service uploads from the node after the task ran. */
export interface OutputFile {
  /** A glob relative to the working directory: `*`, `**`, `?` and `[...]`. */
  filePattern: string;
  destination: { container: OutputFileBlobContainerDestination };
  uploadOptions: { uploadCondition: OutputFileUploadCondition };
}

export type ElevationLevel = "nonadmin" | "admin";
export type AutoUserScope = "task" | "pool";

export interface UserIdentity {
  /** A named user account of the pool (REST `username`). */
  username?: string;
  autoUser?: { scope?: AutoUserScope; elevationLevel?: ElevationLevel };
}

export type ErrorCategory = "usererror" | "servererror";

export interface TaskFailureInfo {
  category: ErrorCategory;
  code?: string;
  message?: string;
  details?: NameValuePair[];
}

export type TaskExecutionResult = "success" | "failure";

/** A part of the node's Batch directories mounted into a task container (`source`: `Shared`, `Task`, ...). */
export interface ContainerHostBatchBindMountEntry {
  source: string;
  isReadOnly?: boolean;
}

export interface TaskContainerSettings {
  imageName: string;
  containerRunOptions?: string;
  workingDirectory?: "taskWorkingDirectory" | "containerImageDefault";
  /** The registry the image is pulled from. */
  registry?: ContainerRegistry;
  /** Parts of the node root to mount instead of all of it; an empty list mounts nothing. */
  containerHostBatchBindMounts?: ContainerHostBatchBindMountEntry[];
}

export interface MetadataItem {
  name: string;
  value: string;
}
