/**
 * Fuzzing the REST endpoint in-process over loopback (no Docker): several hundred hostile requests
 * from a seeded generator (hostile-requests.ts), sent 8 at a time. Whatever comes in, the server
 * answers below 500 with the service's flat error body, stays up, keeps its memory, and writes
 * neither the account key nor a SAS signature nor a request signature to its log.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchServer } from "../../../src/server/batch-server.js";
import { DEV_BATCH_ACCOUNT_KEY, DEV_BATCH_ACCOUNT_NAME } from "../../../src/server/dev-account.js";
import { DEFAULT_API_VERSION } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";
import { SAS_URL } from "./hostile-bodies.js";
import { badAuthRequests, malformedHttp, oversizedRequests, randomRequest, wrongTypeRequests, type HostileRequest, type Targets } from "./hostile-requests.js";
import { RawConnection } from "./raw-connection.js";
import { Random } from "./seeded-random.js";

const SEED = 0x8a7c1d2e;
const RANDOM_REQUESTS = 450;
const ERROR_METADATA = /\/\$metadata#Microsoft\.Azure\.Batch\.Protocol\.Entities\.Container\.errors\/@Element$/;

interface Answer {
  status?: number;
  headers?: IncomingHttpHeaders;
  body?: Buffer;
  /** The connection failed instead (reset, closed before an answer, no answer within the time limit). */
  error?: string;
}

/** A full GC, for comparing heaps: --expose-gc for this process only, through a fresh context. */
function collectGarbage(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

function send(url: string, agent: Agent, hostile: HostileRequest, timeoutMs = 10_000): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const request = httpRequest({ host: hostname, port, method: hostile.method, path: hostile.target, headers: hostile.headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on("error", (error) => resolve({ error: error.message }));
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error("no answer in time")));
    request.on("error", (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
    request.end(hostile.body);
  });
}

/** Sends all requests, `concurrency` at a time, in order of the list. */
async function sendAll(url: string, agent: Agent, requests: HostileRequest[], concurrency = 8): Promise<Answer[]> {
  const answers: Answer[] = new Array<Answer>(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      answers[index] = await send(url, agent, requests[index]!);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return answers;
}

/** What is wrong with an answer, if anything. */
function problemWith(hostile: HostileRequest, answer: Answer): string | undefined {
  if (answer.error !== undefined) {
    // A sender still streaming a body the server refused may see the closed connection first.
    return hostile.kind === "oversized" ? undefined : `no answer: ${answer.error}`;
  }
  const status = answer.status ?? 0;
  if (status >= 500) return `status ${status}`;
  if (!answer.headers?.["request-id"]) return "no request-id header";
  if (hostile.kind === "bad-auth" && status !== 403) return `status ${status} for a bad signature`;
  if (hostile.kind === "oversized" && status !== 413) return `status ${status} for an oversized body`;
  if (status < 400 || hostile.method.toUpperCase() === "HEAD") return undefined;
  let body: { "odata.metadata"?: unknown; code?: unknown; message?: { lang?: unknown; value?: unknown }; values?: unknown };
  try {
    body = JSON.parse(answer.body?.toString("utf8") ?? "") as typeof body;
  } catch {
    return "an error answer that is not JSON";
  }
  if (answer.headers["content-type"] !== "application/json;odata=minimalmetadata") return `content type ${answer.headers["content-type"]}`;
  if (typeof body["odata.metadata"] !== "string" || !ERROR_METADATA.test(body["odata.metadata"])) return "no error odata.metadata";
  if (typeof body.code !== "string" || typeof body.message?.value !== "string" || body.message.lang !== "en-US") return "not the flat error body";
  if (!body.message.value.includes(`RequestId:${String(answer.headers["request-id"])}`)) return "a message without its RequestId";
  if (body.values !== undefined) {
    const values = body.values as { key?: unknown; value?: unknown }[];
    if (!Array.isArray(values) || values.some((v) => typeof v.key !== "string" || typeof v.value !== "string")) return "values not {key, value} strings";
  }
  return undefined;
}

let bed: TestBed;
let authServer: BatchServer;
let targets: Targets;
const logged: string[] = [];
const writeStderr = process.stderr.write.bind(process.stderr);

beforeAll(async () => {
  bed = await TestBed.start({ server: { authentication: false } });
  authServer = await BatchServer.listen({ host: "127.0.0.1", port: 0, account: { name: DEV_BATCH_ACCOUNT_NAME, key: DEV_BATCH_ACCOUNT_KEY } });
  authServer.serve(bed.batch);
  const { nodes } = await bed.addPool("FuzzPool");
  await bed.addJob("FuzzJob", "FuzzPool");
  await bed.batch.task.add("FuzzJob", { id: "FuzzTask", commandLine: "/bin/echo fuzz target" });
  await bed.taskIn("FuzzJob", "FuzzTask", "completed");
  targets = { poolId: "FuzzPool", nodeId: nodes[0]!.id, jobId: "FuzzJob", taskId: "FuzzTask", fileName: "stdout.txt", apiVersion: DEFAULT_API_VERSION };
  // The server's debug log too (a line per request), kept here rather than printed; warnings still show.
  process.env.MALACHITE_DEBUG = "malachite:server";
  const capture = (chunk: string | Uint8Array, ...rest: never[]): boolean => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    logged.push(text);
    return text.includes("warning:") ? writeStderr(chunk, ...rest) : true;
  };
  process.stderr.write = capture;
});

afterAll(async () => {
  process.stderr.write = writeStderr;
  delete process.env.MALACHITE_DEBUG;
  await authServer?.close();
  await bed?.close();
});

describe("fuzzing the REST endpoint", () => {
  it("answers every hostile request below 500 with a Batch error body, stays up, keeps its memory and logs no secret", async () => {
    const random = new Random(SEED);
    const gc = collectGarbage();
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const open = bed.account.batchUrl;
    const started = Date.now();

    // Warm up every path once, so the heap is measured after lazy initialisation, not before.
    await sendAll(
      open,
      agent,
      Array.from({ length: 50 }, () => randomRequest(new Random(random.int(1e9)), targets)),
    );
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage().rss;

    const batches: [string, HostileRequest[]][] = [
      [open, wrongTypeRequests(targets, random)],
      [open, Array.from({ length: RANDOM_REQUESTS }, () => randomRequest(random, targets))],
      [open, oversizedRequests(targets, random, 8)],
      [authServer.url, badAuthRequests(targets, random, DEV_BATCH_ACCOUNT_NAME, 45)],
    ];
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    for (const [url, requests] of batches) {
      const answers = await sendAll(url, agent, requests);
      requests.forEach((hostile, i) => {
        const answer = answers[i]!;
        if (answer.status !== undefined) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const problem = problemWith(hostile, answer);
        if (problem)
          problems.push(`${hostile.kind} ${hostile.method} ${hostile.target.slice(0, 200)}: ${problem} ${answer.body?.toString("utf8").slice(0, 300) ?? ""}`);
      });
      sent += requests.length;
    }

    // Bytes that are no HTTP request at all: Node's parser refuses them; the server must live on.
    const host = new URL(open).host;
    const malformed = malformedHttp(random, host);
    const malformedAnswers = await Promise.all(
      malformed.map(async (bytes) => {
        const connection = await RawConnection.open(open);
        connection.write(bytes);
        const closed = await connection.closedWithin(2000);
        connection.destroy();
        return { bytes, closed, text: connection.text };
      }),
    );
    for (const { bytes, closed, text } of malformedAnswers) {
      const what = JSON.stringify(bytes.slice(0, 60));
      if (!closed) problems.push(`malformed HTTP left open: ${what}`);
      // The last response on the connection (a pipelined pair may get an answer to its first request).
      const last = text.slice(text.lastIndexOf("HTTP/1.1 "));
      const status = Number(last.split(" ")[1]);
      const body = last.slice(last.indexOf("\r\n\r\n") + 4);
      if (text === "" || status >= 500 || !/"code":"[A-Za-z]+"/.test(body) || !body.includes("odata.metadata"))
        problems.push(`malformed HTTP ${what}: answered ${JSON.stringify(last.slice(0, 200))}`);
    }
    // The fuzz may have deleted its own pool, job or task: the check asks for something it cannot delete.
    const alive = await send(open, agent, { kind: "check", method: "GET", target: `/supportedimages?api-version=${DEFAULT_API_VERSION}`, headers: {} });

    agent.destroy();
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    const rssAfter = process.memoryUsage().rss;
    const count = (test: (status: number) => boolean) => [...statuses].filter(([status]) => test(status)).reduce((sum, [, n]) => sum + n, 0);
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.log(
      `fuzz (seed ${SEED.toString(16)}): ${sent} requests + ${malformed.length} malformed connections in ${Date.now() - started} ms; ` +
        `2xx/3xx ${count((s) => s < 400)}, 4xx ${count((s) => s >= 400 && s < 500)}, 5xx ${count((s) => s >= 500)}; ` +
        `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; ` +
        `heap after GC ${mb(heapBefore)} -> ${mb(heapAfter)}, rss ${mb(rssBefore)} -> ${mb(rssAfter)}; ${logged.length} log lines checked`,
    );

    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(500);
    expect(count((s) => s >= 500)).toBe(0);
    expect(alive.status).toBe(200);
    expect(heapAfter - heapBefore).toBeLessThan(24 * 1024 * 1024);
    const log = logged.join("");
    expect(logged.length).toBeGreaterThanOrEqual(sent); // the log was captured: one debug line per request at least
    expect(log).not.toContain(DEV_BATCH_ACCOUNT_KEY);
    expect(log).not.toContain(new URL(SAS_URL).searchParams.get("sig"));
    expect(log).not.toMatch(/SharedKey \S+:[A-Za-z0-9+/]{43}=/);
  }, 20_000);
});
