/**
 * Regressions for issue 8, part 5 (validation and protocol hardening), on the wire against the
 * in-process server: request bodies over the limit, authentication before the body, Content-MD5,
 * bounded api-versions, $filter/$select names, ocp-range, and slow clients.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call --
   response bodies are untyped JSON here, read as the wire carries them. */
import { createHash } from "node:crypto";
import { BatchSharedKeyCredentials } from "@azure/batch";
import { WebResource } from "@azure/ms-rest-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchServer } from "../../../src/server/batch-server.js";
import { MAX_BODY_BYTES } from "../../../src/server/http/read-body.js";
import { ENTITY_SETS, type EntitySet } from "../../../src/server/protocol/entity-sets.js";
import { DEFAULT_API_VERSION, signedFetcher, type BatchFetch, type BatchHttpResponse } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";
import { RawConnection } from "./raw-connection.js";

const POOL = "HardPool";
const JOB = "HardJob";
const TASK = "hello";
const STDOUT = "hello world\n"; // what `echo hello world` leaves in stdout.txt on a fake node
const VM_CONFIG = {
  imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts", version: "latest" },
  nodeAgentSKUId: "batch.node.ubuntu 22.04",
};

let bed: TestBed;
let batch: BatchFetch;
let host: string;

function detail(response: BatchHttpResponse, key: string): string | undefined {
  return (response.json?.values as { key: string; value: string }[] | undefined)?.find((value) => value.key === key)?.value;
}

function expectError(response: BatchHttpResponse, status: number, code: string): void {
  expect(response.status, response.text).toBe(status);
  expect(response.json?.code, response.text).toBe(code);
  expect(response.json?.["odata.metadata"]).toMatch(/\$metadata#Microsoft\.Azure\.Batch\.Protocol\.Entities\.Container\.errors\/@Element$/);
}

/** The headers @azure/batch would send for this request, signature included. */
async function signedHeaders(method: "GET" | "POST", path: string, headers: Record<string, string>): Promise<Record<string, string>> {
  const url = new URL(path, bed.account.batchUrl);
  url.searchParams.set("api-version", DEFAULT_API_VERSION);
  const resource = new WebResource(url.href, method, undefined, undefined, headers);
  await new BatchSharedKeyCredentials(bed.account.batchAccountName, bed.account.batchAccountKey).signRequest(resource);
  return Object.fromEntries(resource.headers.headersArray().map((header) => [header.name, header.value]));
}

function requestHead(method: string, path: string, headers: Record<string, string>): string {
  const lines = Object.entries({ Host: host, ...headers }).map(([name, value]) => `${name}: ${value}`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`;
}

beforeAll(async () => {
  bed = await TestBed.start({ server: true });
  batch = signedFetcher(bed.account);
  host = new URL(bed.account.batchUrl).host;
  const pool = await batch("/pools", { json: { id: POOL, vmSize: "standard_d2s_v3", virtualMachineConfiguration: VM_CONFIG, targetDedicatedNodes: 1 } });
  expect(pool.status, pool.text).toBe(201);
  expect((await batch("/jobs", { json: { id: JOB, poolInfo: { poolId: POOL } } })).status).toBe(201);
  expect((await batch(`/jobs/${JOB}/tasks`, { json: { id: TASK, commandLine: "/bin/echo hello world" } })).status).toBe(201);
  await bed.waitFor(async () => (await batch(`/jobs/${JOB}/tasks/${TASK}`)).json?.state === "completed", "the task to complete");
});

afterAll(async () => {
  await bed?.close();
});

describe("request bodies over the limit", () => {
  const path = `/jobs/${JOB}/addtaskcollection?api-version=${DEFAULT_API_VERSION}`;

  it("answers a Content-Length over 1 MB with 413 before authentication, and closes the connection without reading the body", async () => {
    const connection = await RawConnection.open(bed.account.batchUrl);
    connection.write(requestHead("POST", path, { "Content-Type": "application/json", "Content-Length": String(50 * MAX_BODY_BYTES) }));
    connection.write("x".repeat(1000)); // a little of the body; the rest is never sent
    const response = await connection.response();
    expect(response?.status).toBe(413);
    expect(JSON.parse(response?.body ?? "{}")).toMatchObject({ code: "RequestBodyTooLarge" });
    expect(response?.headers.connection).toBe("close");
    expect(await connection.closedWithin(2000)).toBe(true);
  });

  it("cuts off a chunked body as soon as it passes 1 MB, answering 413 and closing", async () => {
    const connection = await RawConnection.open(bed.account.batchUrl);
    connection.write(requestHead("POST", path, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" }));
    const chunk = "y".repeat(64 * 1024);
    for (let sent = 0; sent <= MAX_BODY_BYTES && connection.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`); sent += chunk.length);
    // The last chunk never comes: the server stops at the limit rather than waiting for the end.
    const response = await connection.response();
    expect(response?.status).toBe(413);
    expect(await connection.closedWithin(2000)).toBe(true);
  });

  it("refuses a 100-continue request over the limit without asking for its body", async () => {
    const connection = await RawConnection.open(bed.account.batchUrl);
    connection.write(requestHead("POST", path, { Expect: "100-continue", "Content-Type": "application/json", "Content-Length": String(2 * MAX_BODY_BYTES) }));
    const response = await connection.response();
    expect(response?.status).toBe(413);
    expect(connection.text).not.toContain("HTTP/1.1 100");
    expect(await connection.closedWithin(2000)).toBe(true);
  });
});

describe("authentication before the body", () => {
  const path = `/jobs?api-version=${DEFAULT_API_VERSION}`;

  it("answers an unsigned request with a Content-Length 403 without waiting for its body", async () => {
    const connection = await RawConnection.open(bed.account.batchUrl);
    connection.write(requestHead("POST", path, { "Content-Type": "application/json", "Content-Length": "500000", "ocp-date": new Date().toUTCString() }));
    const response = await connection.response(2000);
    connection.destroy();
    expect(response?.status).toBe(403);
    expect(JSON.parse(response?.body ?? "{}")).toMatchObject({ code: "AuthenticationFailed" });
  });

  it("asks a signed 100-continue request for its body, and answers an unsigned one without asking", async () => {
    const body = JSON.stringify({ id: "HardContinueJob", poolInfo: { poolId: POOL } });
    const headers = { "Content-Type": "application/json; odata=minimalmetadata", "Content-Length": String(Buffer.byteLength(body)) };
    const signed = await RawConnection.open(bed.account.batchUrl);
    signed.write(requestHead("POST", path, { ...(await signedHeaders("POST", "/jobs", headers)), Expect: "100-continue" }));
    await expect.poll(() => signed.text).toContain("HTTP/1.1 100 Continue");
    signed.write(body);
    expect((await signed.response())?.status).toBe(201);
    signed.destroy();

    const unsigned = await RawConnection.open(bed.account.batchUrl);
    unsigned.write(requestHead("POST", path, { ...headers, Expect: "100-continue", "ocp-date": new Date().toUTCString() }));
    expect((await unsigned.response())?.status).toBe(403);
    expect(unsigned.text).not.toContain("HTTP/1.1 100");
    unsigned.destroy();
  });
});

describe("Content-MD5", () => {
  const body = JSON.stringify({ id: "HardMd5Job", poolInfo: { poolId: POOL } });
  const md5 = (text: string) => createHash("md5").update(text).digest("base64");

  it("refuses a body whose MD5 is not the Content-MD5 sent, with 400 Md5Mismatch, and creates nothing", async () => {
    const response = await batch("/jobs", { body, headers: { "Content-MD5": md5("something else") } });
    expectError(response, 400, "Md5Mismatch");
    expect(detail(response, "UserSpecifiedMd5")).toBe(md5("something else"));
    expect(detail(response, "ServerCalculatedMd5")).toBe(md5(body));
    expect((await batch("/jobs/HardMd5Job")).status).toBe(404);
  });

  it("refuses a Content-MD5 that is not a base64 MD5 with 400 InvalidHeaderValue", async () => {
    for (const value of ["not-an-md5", md5(body).slice(0, 20), Buffer.alloc(20).toString("base64")]) {
      const response = await batch("/jobs", { body, headers: { "Content-MD5": value } });
      expectError(response, 400, "InvalidHeaderValue");
      expect(detail(response, "HeaderName")).toBe("Content-MD5");
    }
  });

  it("accepts a body that matches its Content-MD5", async () => {
    expect((await batch("/jobs", { body, headers: { "Content-MD5": md5(body) } })).status).toBe(201);
  });
});

describe("api-version", () => {
  it("refuses a 5000-digit api-version with 400 InvalidQueryParameterValue, echoing at most 64 characters of it", async () => {
    for (const version of [`2024-07-01.${"9".repeat(5000)}.0`, "9".repeat(5000), `2024-07-01.20.${"0".repeat(5000)}`]) {
      const response = await batch("/pools", { apiVersion: version });
      expectError(response, 400, "InvalidQueryParameterValue");
      expect(detail(response, "QueryParameterName")).toBe("api-version");
      expect(detail(response, "QueryParameterValue")?.length).toBeLessThanOrEqual(67);
      expect(response.text.length).toBeLessThan(1000);
    }
  });
});

describe("$filter and $select names", () => {
  it("refuses a $filter on a property the list does not filter on with 400 InvalidQueryParameterValue", async () => {
    for (const [path, filter] of [
      ["/pools", "nosuch eq 1"],
      ["/pools", "displayName eq 'x'"],
      ["/jobs", "executionInfo/nosuch eq 1"],
      [`/jobs/${JOB}/tasks`, "commandLine eq 'x'"],
      [`/pools/${POOL}/nodes`, "id eq 'x'"],
      [`/jobs/${JOB}/tasks/${TASK}/files`, "isDirectory eq false"],
    ] as const) {
      const response = await batch(path, { query: { $filter: filter } });
      expectError(response, 400, "InvalidQueryParameterValue");
      expect(detail(response, "QueryParameterName")).toBe("$filter");
    }
  });

  it("takes $filter property names case-sensitively, and says so", async () => {
    const response = await batch("/pools", { query: { $filter: "State eq 'active'" } });
    expectError(response, 400, "InvalidQueryParameterValue");
    expect(detail(response, "Reason")).toMatch(/case-sensitive.*'state'/);
    expect((await batch("/pools", { query: { $filter: "state eq 'ACTIVE'" } })).json.value.map((p: { id: string }) => p.id)).toContain(POOL);
  });

  it("refuses $select names the entity does not have, in any case, on lists and single entities", async () => {
    for (const [path, select] of [
      ["/pools", "id,nosuch"],
      [`/pools/${POOL}`, "ID"],
      [`/jobs/${JOB}/tasks`, "id,State"],
      [`/jobs/${JOB}/tasks/${TASK}`, "exitCode"],
      [`/pools/${POOL}/nodes`, "Id"],
      [`/jobs/${JOB}/tasks/${TASK}/files`, "size"],
    ] as const) {
      const response = await batch(path, { query: { $select: select } });
      expectError(response, 400, "InvalidQueryParameterValue");
      expect(detail(response, "QueryParameterName")).toBe("$select");
    }
    expect(detail(await batch(`/pools/${POOL}`, { query: { $select: "ID" } }), "Reason")).toMatch(/case-sensitive.*'id'/);
  });

  it("checks $filter and $select on an empty list too", async () => {
    expectError(await batch("/jobs/HardMd5Job/tasks", { query: { $select: "nosuch" } }), 400, "InvalidQueryParameterValue");
    expectError(await batch("/jobs/HardMd5Job/tasks", { query: { $filter: "nosuch eq 1" } }), 400, "InvalidQueryParameterValue");
  });

  it("selects properties the service has but Malachite leaves out as nothing, and old names in old api-versions", async () => {
    const pool = await batch(`/pools/${POOL}`, { query: { $select: "id,autoScaleFormula,stats" } });
    expect(pool.status, pool.text).toBe(200);
    expect(pool.json).toEqual({ "odata.metadata": expect.any(String), id: POOL });
    const old = await batch(`/pools/${POOL}`, { apiVersion: "2017-09-01.6.0", query: { $select: "id,maxTasksPerNode" } });
    expect(old.json).toEqual({ "odata.metadata": expect.any(String), id: POOL, maxTasksPerNode: 1 });
    expectError(await batch(`/pools/${POOL}`, { query: { $select: "maxTasksPerNode" } }), 400, "InvalidQueryParameterValue");
  });

  it("knows every property Malachite answers with as selectable", async () => {
    const lists: [EntitySet, string][] = [
      ["pools", "/pools"],
      ["jobs", "/jobs"],
      ["tasks", `/jobs/${JOB}/tasks`],
      ["nodes", `/pools/${POOL}/nodes`],
      ["files", `/jobs/${JOB}/tasks/${TASK}/files`],
      ["poolnodecounts", "/nodecounts"],
      ["supportedimages", "/supportedimages"],
    ];
    for (const [set, path] of lists) {
      const items = (await batch(path)).json.value as object[];
      expect(items.length, path).toBeGreaterThan(0);
      for (const item of items) for (const key of Object.keys(item)) expect(ENTITY_SETS[set].selectable, `${path}: ${key}`).toContain(key);
    }
  });
});

describe("ocp-range", () => {
  const file = `/jobs/${JOB}/tasks/${TASK}/files/stdout.txt`;
  const get = (range: string) => batch(file, { headers: { "ocp-range": range } });

  it("refuses a malformed range with 400 InvalidHeaderValue instead of answering the whole file", async () => {
    for (const range of ["abc", "bytes=", "bytes=-", "bytes=1-2,4-5", "items=0-1", "bytes=0x1-2", `bytes=0-${"9".repeat(30)}`]) {
      const response = await get(range);
      expectError(response, 400, "InvalidHeaderValue");
      expect(detail(response, "HeaderName")).toBe("ocp-range");
    }
  });

  it("refuses a range that ends before it starts with 400 instead of an empty 200", async () => {
    expectError(await get("bytes=5-1"), 400, "InvalidHeaderValue");
  });

  it("refuses a range past the end of the file with 416 InvalidRange", async () => {
    for (const range of [`bytes=${STDOUT.length}-`, `bytes=${STDOUT.length + 10}-${STDOUT.length + 20}`, "bytes=-0"])
      expectError(await get(range), 416, "InvalidRange");
  });

  it("answers satisfiable ranges: inclusive ends, an end cut to the file, open ends and suffixes", async () => {
    const text = async (range: string) => {
      const response = await get(range);
      expect(response.status, `${range}: ${response.text}`).toBe(200);
      expect(response.headers.get("content-length")).toBe(String(response.bytes.length));
      return response.text;
    };
    expect(await text("bytes=0-4")).toBe("hello");
    expect(await text("bytes=6-1000")).toBe("world\n");
    expect(await text("bytes=6-")).toBe("world\n");
    expect(await text("bytes=-6")).toBe("world\n");
    expect(await text("bytes=-1000")).toBe(STDOUT);
    expect(await text("Bytes=0-0")).toBe("h");
  });

  it("checks the range before looking for the file", async () => {
    expectError(await batch(`/jobs/${JOB}/tasks/${TASK}/files/none.txt`, { headers: { "ocp-range": "abc" } }), 400, "InvalidHeaderValue");
    expectError(await batch(`/jobs/${JOB}/tasks/${TASK}/files/none.txt`, { headers: { "ocp-range": "bytes=0-1" } }), 404, "FileNotFound");
  });
});

describe("without authentication: request targets, malformed HTTP and slow clients", () => {
  let server: BatchServer;

  beforeAll(async () => {
    server = await BatchServer.listen({
      host: "127.0.0.1",
      port: 0,
      account: false,
      timeouts: { headersMs: 200, requestMs: 400, checkIntervalMs: 50 },
    });
    server.serve(bed.batch);
  });

  afterAll(async () => {
    await server?.close();
  });

  it("reads a target that looks like a host as a path: 404, not 500", async () => {
    for (const target of ["//%zz//pools", "//[::1/x", "http://other.example/nosuch"]) {
      const connection = await RawConnection.open(server.url);
      connection.write(
        `GET ${target}${target.includes("?") ? "&" : "?"}api-version=${DEFAULT_API_VERSION} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      );
      const response = await connection.response();
      expect(response?.status, target).toBe(404);
      expect(JSON.parse(response?.body ?? "{}")).toMatchObject({ code: "ResourceNotFound" });
    }
  });

  it("answers what is not HTTP with 400 and the Batch error body, then closes", async () => {
    for (const bytes of [
      `GET /po ols HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
      `GET /pools HTTP/1.1\r\nHost: ${host}\r\nX: ${"x".repeat(20_000)}\r\n\r\n`,
      "NOT HTTP\r\n\r\n",
    ]) {
      const connection = await RawConnection.open(server.url);
      connection.write(bytes);
      const response = await connection.response();
      expect(response?.status).toBe(400);
      expect(response?.headers["content-type"]).toBe("application/json;odata=minimalmetadata");
      const body = JSON.parse(response?.body ?? "{}");
      expect(body).toMatchObject({ code: "InvalidInput", message: { lang: "en-US" } });
      expect(body["odata.metadata"]).toMatch(/Container\.errors\/@Element$/);
      expect(body.message.value).toContain(`RequestId:${response?.headers["request-id"]}`);
      expect(await connection.closedWithin(2000)).toBe(true);
    }
  });

  it("closes connections that trickle their headers or their body, and keeps answering others meanwhile", async () => {
    const head = `GET /pools?api-version=${DEFAULT_API_VERSION} HTTP/1.1\r\nHost: ${host}\r\n`;
    const post = `POST /jobs?api-version=${DEFAULT_API_VERSION} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 100\r\n\r\n`;
    const slow = await Promise.all(Array.from({ length: 40 }, () => RawConnection.open(server.url)));
    slow.forEach((connection, i) => connection.write(i % 2 === 0 ? head : post));
    const trickle = setInterval(() => slow.forEach((connection) => connection.write("X")), 50);
    try {
      const answered = await fetch(`${server.url}/pools?api-version=${DEFAULT_API_VERSION}`);
      expect(answered.status).toBe(200);
      const closed = await Promise.all(slow.map((connection) => connection.closedWithin(3000)));
      expect(closed.filter(Boolean).length).toBe(slow.length);
    } finally {
      clearInterval(trickle);
      slow.forEach((connection) => connection.destroy());
    }
    expect((await fetch(`${server.url}/pools?api-version=${DEFAULT_API_VERSION}`)).status).toBe(200);
  });
});
