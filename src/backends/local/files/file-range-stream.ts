import type { FileHandle } from "node:fs/promises";
import { Readable } from "node:stream";
import type { FileByteRange, NodeFileContent } from "../../../core/models/index.js";

/**
 * The bytes of an open file, `range` of them or all, read from disk as the stream is consumed
 * (nothing of the file is held in memory, whatever its size). The stream owns the file: it is
 * closed when the stream ends, fails or is destroyed. The range is cut to `size`, the file's size
 * when it was opened, so a file still being written (a running task's stdout) is sent as it was
 * then, matching the length announced.
 */
export async function fileRangeStream(file: FileHandle, size: number, range?: FileByteRange): Promise<NodeFileContent> {
  const start = range?.start ?? 0;
  const end = Math.min(range?.end ?? size - 1, size - 1);
  if (end < start) {
    await file.close();
    return { length: 0, stream: Readable.from([], { objectMode: false }) };
  }
  return { length: end - start + 1, stream: file.createReadStream({ start, end }) };
}
