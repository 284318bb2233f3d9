import type { NodeFile } from "../../core/models/index.js";

/** The headers of a file `HEAD` as `@azure/batch` parses them (`FileGetPropertiesFrom*Headers`). */
export interface FilePropertiesHeaders {
  ocpCreationTime?: Date;
  ocpBatchFileIsdirectory?: boolean;
  ocpBatchFileUrl?: string;
  ocpBatchFileMode?: string;
  contentType?: string;
  contentLength?: number;
  lastModified?: Date;
}

/** The service sends `ocp-batch-file-url` percent-encoded as a whole (`https%3A%2F%2F...`). */
function decodedUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (!/^https?%3A/i.test(url)) return url;
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

/** A file's properties from its headers, shaped as the file lists report it. */
export function nodeFileFromHeaders(filePath: string, headers: FilePropertiesHeaders): NodeFile {
  const url = decodedUrl(headers.ocpBatchFileUrl);
  const isDirectory = headers.ocpBatchFileIsdirectory === true;
  return {
    name: filePath.replace(/^\/+/, ""),
    ...(url ? { url } : {}),
    isDirectory,
    properties: {
      ...(headers.ocpCreationTime ? { creationTime: headers.ocpCreationTime.toISOString() } : {}),
      lastModified: (headers.lastModified ?? new Date(0)).toISOString(),
      contentLength: isDirectory ? 0 : (headers.contentLength ?? 0),
      contentType: headers.contentType ?? "application/octet-stream",
      ...(headers.ocpBatchFileMode ? { fileMode: headers.ocpBatchFileMode } : {}),
    },
  };
}
