/**
 * Where the output of a container task goes: Docker's multiplexed attach stream split into the
 * task's stdout.txt / stderr.txt on the host.
 */
import type fs from "node:fs";
import path from "node:path";
import type { Duplex } from "node:stream";
import { NodeRootFs } from "../files/node-root-fs.js";

/**
 * A host file the output of a process goes to; created before the process starts. Tasks own their
 * directory and may leave a link (to /etc/cron.d/..., say) where their stdout.txt was: the file is
 * therefore created fresh (node-root-fs.ts `createFresh`), never opened through what is there,
 * and never outside `hostRoot` (the node root; without one, the file's own directory).
 */
export class OutputFile {
  private error: Error | undefined;
  private readonly closed: Promise<void>;

  private constructor(readonly stream: fs.WriteStream) {
    stream.on("error", (error) => {
      this.error ??= error instanceof Error ? error : new Error(String(error));
    });
    this.closed = new Promise((resolve) => stream.once("close", () => resolve()));
  }

  static async create(file: string, hostRoot: string | undefined): Promise<OutputFile> {
    const root = new NodeRootFs(hostRoot ?? path.dirname(file));
    const handle = await root.createFresh(path.relative(root.root, file));
    return new OutputFile(handle.createWriteStream());
  }

  /** Flushes and closes the file; rejects if any write failed. */
  async close(): Promise<void> {
    if (!this.stream.writableEnded && !this.stream.destroyed) this.stream.end();
    await this.closed;
    if (this.error) throw this.error;
  }
}

/** Opens a process's stdout and stderr files together; if the second fails, the first is closed. */
export async function openOutputPair(spec: {
  stdoutPath: string;
  stderrPath: string;
  hostRoot?: string;
}): Promise<{ stdout: OutputFile; stderr: OutputFile; close(): Promise<void> }> {
  const stdout = await OutputFile.create(spec.stdoutPath, spec.hostRoot);
  const stderr = await OutputFile.create(spec.stderrPath, spec.hostRoot).catch(async (error: unknown) => {
    await stdout.close();
    throw error;
  });
  return { stdout, stderr, close: async () => void (await Promise.all([stdout.close(), stderr.close()])) };
}

/**
 * Splits Docker's multiplexed exec output (frames with an 8-byte header: stream type, three zero
 * bytes, big-endian length) into two writables, keeping the first bytes of stdout: when the engine
 * cannot start a process it writes its error message there.
 */
export class ExecOutputDemuxer {
  private static readonly HEAD_BYTES = 4096;
  private pending: Buffer = Buffer.alloc(0);
  private readonly head: Buffer[] = [];
  private headLength = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly err: NodeJS.WritableStream,
  ) {}

  push(chunk: Buffer): void {
    let buffer = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    while (buffer.length >= 8) {
      const size = buffer.readUInt32BE(4);
      if (buffer.length < 8 + size) break;
      const payload = buffer.subarray(8, 8 + size);
      if (payload.length > 0) {
        if (buffer[0] === 2) {
          this.err.write(payload);
        } else {
          this.out.write(payload);
          if (this.headLength < ExecOutputDemuxer.HEAD_BYTES) {
            this.head.push(payload);
            this.headLength += payload.length;
          }
        }
      }
      buffer = buffer.subarray(8 + size);
    }
    this.pending = buffer;
  }

  stdoutHead(): string {
    return Buffer.concat(this.head).toString("utf8").trim();
  }
}

/** Feeds the hijacked exec stream into the demuxer; resolves when the process's output ends. */
export function pump(stream: Duplex, demuxer: ExecOutputDemuxer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      stream.off("end", done);
      stream.off("close", done);
      stream.off("error", reject);
      stream.destroy();
      resolve();
    };
    stream.once("end", done);
    stream.once("close", done);
    stream.once("error", reject);
    stream.on("data", (chunk: Buffer) => demuxer.push(chunk));
  });
}
