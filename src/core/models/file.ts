import type { Readable } from "node:stream";

/** A file or directory on a compute node (`GET /jobs/{jobId}/tasks/{taskId}/files`). */
export interface NodeFile {
  name: string;
  url?: string;
  isDirectory: boolean;
  properties?: {
    creationTime?: string;
    lastModified: string;
    contentLength: number;
    contentType: string;
    fileMode?: string;
  };
}

/** Inclusive byte positions of a file, as `ocp-range` names them (`bytes=start-end`). */
export interface FileByteRange {
  start: number;
  end: number;
}

/** A file open for reading (`FileOperations.openFromTask`/`openFromComputeNode`). */
export interface NodeFileContent {
  /**
   * How many bytes `stream` carries: the range asked for, cut to the end of the file as it was
   * opened, or the whole file. Undefined only when the backend cannot tell.
   */
  length?: number;
  /** The bytes, read from where they are kept as they are consumed. Read it to its end or destroy it: either closes the file. */
  stream: Readable;
}
