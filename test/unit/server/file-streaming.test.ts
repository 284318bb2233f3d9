/**
 * Finding 6 of issue 8: a ranged file GET read the whole file into memory (100 bytes of a 400 MB
 * file took the server from 92 to 483 MB; four at once reached 1.68 GB), and files over 2 GiB
 * answered 404 on GET while HEAD and list showed them. Now file content is streamed from disk.
 * The files are sparse (truncated to size, a few bytes written), so they take no disk, and the
 * server runs in this process, so its memory and descriptors are this process's.
 */
import { open, readdir, readlink } from "node:fs/promises";
import { request, type IncomingMessage } from "node:http";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { streamStarted } from "../../../src/server/http/stream-start.js";
import { TestBed } from "../../support/test-bed.js";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const BIG_SIZE = 3 * GiB;
const LARGE_SIZE = 400 * MiB;
/** What is written into the big file, by position; every other byte reads as zero. */
const BIG_MARKS = new Map([
  [0, "first bytes"],
  [2 * GiB - 5, "across 2 GiB"],
  [BIG_SIZE - 9, "last byte"],
]);
const TASK_FILES = "/jobs/j/tasks/t/files";

/** A sparse file of `size` bytes with `marks` written at their positions. */
async function sparseFile(filePath: string, size: number, marks: Map<number, string> = new Map()): Promise<void> {
  const file = await open(filePath, "w");
  try {
    await file.truncate(size);
    for (const [position, text] of marks) await file.write(Buffer.from(text), 0, Buffer.byteLength(text), position);
  } finally {
    await file.close();
  }
}

/** The bytes `start..end` (inclusive) of the big file, as they should come back. */
function bigFileBytes(start: number, end: number): Buffer {
  const bytes = Buffer.alloc(end - start + 1);
  for (const [position, text] of BIG_MARKS) {
    const mark = Buffer.from(text);
    const from = Math.max(start, position);
    const to = Math.min(end, position + mark.length - 1);
    if (from <= to) mark.copy(bytes, from - start, from - position, to - position + 1);
  }
  return bytes;
}

interface RawResponse {
  status: number;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

/** Sends a request on its own connection and hands over the response unread. */
function send(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        method,
        agent: false,
        path: `${path}${path.includes("?") ? "&" : "?"}api-version=2024-07-01.20.0`,
        headers: { "ocp-date": new Date().toUTCString(), ...headers },
      },
      resolve,
    );
    req.on("error", reject);
    req.end();
  });
}

async function fetchRaw(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await send(baseUrl, method, path, headers);
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) };
}

/** This process's resident memory before `work` and at its highest while `work` ran (sampled every few ms). */
async function rssAround<T>(work: () => Promise<T>): Promise<{ result: T; before: number; peak: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
  try {
    const result = await work();
    return { result, before, peak: Math.max(peak, process.memoryUsage.rss()) };
  } finally {
    clearInterval(sampler);
  }
}

/** The code of a Batch error body. */
function errorCode(response: RawResponse): string {
  return (JSON.parse(response.body.toString()) as { code: string }).code;
}

const mb = (bytes: number) => `${Math.round(bytes / MiB)} MB`;

/** The paths of this process's open descriptors. */
async function openFiles(): Promise<string[]> {
  const fds = await readdir("/proc/self/fd");
  return (await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => "")))).filter(Boolean);
}

describe("file content streamed from disk", () => {
  let bed: TestBed;
  let url: string;
  let nodeFiles: string;
  let bigPath: string;

  beforeAll(async () => {
    bed = await TestBed.start({ server: { authentication: false } });
    url = bed.account.batchUrl;
    const nodeId = (await bed.addPool("p")).nodes[0]?.id as string;
    nodeFiles = `/pools/p/nodes/${nodeId}/files/workitems/j/job-1/t`;
    await bed.addJob("j", "p");
    bed.runtime.programs.set("make-files", async (run) => {
      bigPath = run.hostPath("big.bin");
      await sparseFile(bigPath, BIG_SIZE, BIG_MARKS);
      await sparseFile(run.hostPath("large.bin"), LARGE_SIZE);
      await sparseFile(run.hostPath("empty.bin"), 0);
      return {};
    });
    await bed.batch.task.add("j", { id: "t", commandLine: "make-files" });
    await bed.taskIn("j", "t", "completed");
  });

  afterAll(async () => {
    await bed?.close();
  });

  it("answers a range of a 3 GiB file with exactly the bytes asked for, on both file endpoints", async () => {
    const ranges: [string, number, number][] = [
      ["bytes=0-99", 0, 99],
      [`bytes=${2 * GiB - 20}-${2 * GiB + 20}`, 2 * GiB - 20, 2 * GiB + 20],
      [`bytes=${BIG_SIZE - 100}-`, BIG_SIZE - 100, BIG_SIZE - 1],
      ["bytes=-9", BIG_SIZE - 9, BIG_SIZE - 1],
      [`bytes=${BIG_SIZE - 5}-${BIG_SIZE + 1000}`, BIG_SIZE - 5, BIG_SIZE - 1],
    ];
    const { before, peak } = await rssAround(async () => {
      for (const base of [TASK_FILES, nodeFiles]) {
        for (const [range, start, end] of ranges) {
          const response = await fetchRaw(url, "GET", `${base}/wd/big.bin`, { "ocp-range": range });
          expect(response.status, range).toBe(200);
          expect(response.headers["content-length"], range).toBe(String(end - start + 1));
          expect(response.headers["content-type"]).toBe("application/octet-stream");
          expect(response.headers["ocp-batch-file-isdirectory"]).toBe("false");
          expect(response.headers["last-modified"]).toBeTruthy();
          expect(response.body.equals(bigFileBytes(start, end)), range).toBe(true);
        }
      }
    });
    console.log(`3 GiB file, ${ranges.length * 2} ranged GETs: rss ${mb(before)} before, ${mb(peak)} at most`);
    expect(peak - before).toBeLessThan(50 * MiB);
  });

  it("answers a whole GET of a file over 2 GiB with 200 and its full length, where it was 404", async () => {
    const response = await send(url, "GET", `${TASK_FILES}/wd/big.bin`);
    response.destroy();
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-length"]).toBe(String(BIG_SIZE));
  });

  it("reads 100 bytes of a 400 MB file four times at once with memory flat", async () => {
    const { result, before, peak } = await rssAround(() =>
      Promise.all([0, 1, 2, 3].map((i) => fetchRaw(url, "GET", `${TASK_FILES}/wd/large.bin`, { "ocp-range": `bytes=${i * 100 * MiB}-${i * 100 * MiB + 99}` }))),
    );
    for (const response of result) {
      expect(response.status).toBe(200);
      expect(response.headers["content-length"]).toBe("100");
      expect(response.body.equals(Buffer.alloc(100))).toBe(true);
    }
    console.log(`400 MB file, 4 × 100 B at once: rss ${mb(before)} before, ${mb(peak)} at most`);
    expect(peak - before).toBeLessThan(50 * MiB);
  });

  it("answers an empty file, a range past the end (416) and a malformed range (400) as before", async () => {
    const empty = await fetchRaw(url, "GET", `${TASK_FILES}/wd/empty.bin`);
    expect([empty.status, empty.headers["content-length"], empty.body.length]).toEqual([200, "0", 0]);
    const past = await fetchRaw(url, "GET", `${TASK_FILES}/wd/big.bin`, { "ocp-range": `bytes=${BIG_SIZE}-` });
    expect([past.status, errorCode(past)]).toEqual([416, "InvalidRange"]);
    const malformed = await fetchRaw(url, "GET", `${TASK_FILES}/wd/big.bin`, { "ocp-range": "bytes=9-1" });
    expect([malformed.status, errorCode(malformed)]).toEqual([400, "InvalidHeaderValue"]);
    const missing = await fetchRaw(url, "GET", `${TASK_FILES}/wd/none.bin`, { "ocp-range": "bytes=0-9" });
    expect([missing.status, errorCode(missing)]).toEqual([404, "FileNotFound"]);
  });

  it("leaves HEAD and list as they were: the full size, no body", async () => {
    for (const base of [TASK_FILES, nodeFiles]) {
      const head = await fetchRaw(url, "HEAD", `${base}/wd/big.bin`);
      expect(head.status).toBe(200);
      expect(head.headers["content-length"]).toBe(String(BIG_SIZE));
      expect(head.body.length).toBe(0);
    }
    const list = await fetchRaw(url, "GET", `${TASK_FILES}?recursive=true`);
    const files = (JSON.parse(list.body.toString()) as { value: { name: string; properties: { contentLength: number } }[] }).value;
    expect(files.find((file) => file.name === "wd/big.bin")?.properties.contentLength).toBe(BIG_SIZE);
    expect(files.find((file) => file.name === "wd/large.bin")?.properties.contentLength).toBe(LARGE_SIZE);
  });

  it("closes the file when the client leaves in the middle of a download", async () => {
    const before = await openFiles();
    expect(before).not.toContain(bigPath);
    const response = await send(url, "GET", `${TASK_FILES}/wd/big.bin`);
    const first: unknown = (await response[Symbol.asyncIterator]().next()).value;
    expect(Buffer.isBuffer(first) && first.length > 0).toBe(true);
    expect(await openFiles()).toContain(bigPath);
    response.destroy();
    const after = await bed.waitFor(async () => {
      const files = await openFiles();
      return !files.includes(bigPath) && files.length <= before.length && files;
    }, "the file and the connection to be closed");
    expect(after.length).toBeLessThanOrEqual(before.length);
  });
});

describe("streamStarted (the status line waits for the first bytes)", () => {
  it("resolves once there are bytes, or the stream ended empty, without taking any", async () => {
    const stream = Readable.from([Buffer.from("abc"), Buffer.from("def")], { objectMode: false });
    await streamStarted(stream);
    expect(Buffer.concat(await stream.toArray()).toString()).toBe("abcdef");
    await expect(streamStarted(Readable.from([], { objectMode: false }))).resolves.toBeUndefined();
  });

  it("rejects when the stream fails or closes before its first byte", async () => {
    const failing = new PassThrough();
    setImmediate(() => failing.destroy(new Error("EIO: i/o error, read")));
    await expect(streamStarted(failing)).rejects.toThrow("EIO");
    const closing = new PassThrough();
    setImmediate(() => closing.destroy());
    await expect(streamStarted(closing)).rejects.toThrow("closed");
    await expect(streamStarted(closing)).rejects.toThrow("closed");
  });
});
