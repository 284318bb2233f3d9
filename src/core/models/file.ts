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
