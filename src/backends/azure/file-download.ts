import { Readable } from "node:stream";
import type { FileByteRange, NodeFileContent } from "../../core/models/index.js";

/** A file GET as `@azure/batch` answers it (`FileGetFromTaskResponse`, `FileGetFromComputeNodeResponse`). */
interface FileDownload {
  contentLength?: number;
  readableStreamBody?: NodeJS.ReadableStream;
}

/** The SDK's `ocpRange` option for a range; none for the whole file. */
export function ocpRangeOption(range: FileByteRange | undefined): { ocpRange?: string } {
  return range ? { ocpRange: `bytes=${range.start}-${range.end}` } : {};
}

/**
 * The body of a file GET as it arrives from the service, not gathered in memory: the SDK hands
 * over the response stream (`readableStreamBody`) unread, and its `Content-Length` is the length
 * of what was asked for (the range, or the whole file).
 */
export function downloadedContent(download: FileDownload): NodeFileContent {
  const body = download.readableStreamBody;
  if (!body) return { length: 0, stream: Readable.from([], { objectMode: false }) };
  return { length: download.contentLength, stream: body instanceof Readable ? body : new Readable().wrap(body) };
}
