import { StringDecoder } from "node:string_decoder";
import type { BatchService } from "../core/backend.js";
import type { OutputChunk } from "./view-models.js";

/** The files a task's page follows. */
export const TAILED_FILES = ["stdout.txt", "stderr.txt"] as const;

/** At most this much of a file is sent when a page opens: its tail. */
const FIRST_READ_BYTES = 64 * 1024;

/** Where a page is in one file: the bytes sent so far, and a decoder that keeps a character split across reads. */
interface FilePosition {
  offset: number;
  decoder: StringDecoder;
}

/**
 * Follows a task's stdout.txt and stderr.txt as `tail -f` does, through the file calls of the
 * REST API (Task file properties for the length, a ranged Task file get for the new bytes), and
 * hands on what was appended since the last read.
 */
export class OutputTail {
  private readonly positions = new Map<string, FilePosition>();
  private reading?: Promise<void>;

  constructor(
    private readonly service: BatchService,
    private readonly jobId: string,
    private readonly taskId: string,
    private readonly send: (chunk: OutputChunk) => void,
  ) {}

  /** Reads what was appended; overlapping calls share one read. */
  read(): Promise<void> {
    this.reading ??= Promise.all(TAILED_FILES.map((file) => this.readFile(file))).then(
      () => (this.reading = undefined),
      () => (this.reading = undefined),
    );
    return this.reading;
  }

  private async readFile(file: string): Promise<void> {
    // No file yet (the task has not started), or gone: nothing to send.
    const properties = await this.service.file.getPropertiesFromTask(this.jobId, this.taskId, file).catch(() => undefined);
    const length = properties?.properties?.contentLength;
    if (length === undefined) return;
    let position = this.positions.get(file);
    const truncated = !position && length > FIRST_READ_BYTES;
    if (!position) this.positions.set(file, (position = { offset: truncated ? length - FIRST_READ_BYTES : 0, decoder: new StringDecoder("utf8") }));
    // A file that shrank (the task was retried and its output started again) is followed from its start.
    if (length < position.offset) position.offset = 0;
    if (length === position.offset) return;
    const content = await this.service.file.openFromTask(this.jobId, this.taskId, file, { start: position.offset, end: length - 1 });
    const chunks: Buffer[] = [];
    for await (const chunk of content.stream) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    position.offset += bytes.length;
    const text = position.decoder.write(bytes);
    if (text || truncated) this.send({ file, text, ...(truncated ? { truncated } : {}) });
  }
}
