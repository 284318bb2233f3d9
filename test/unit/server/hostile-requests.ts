/**
 * A deterministic generator of hostile requests to the Batch endpoint: odd methods, paths with
 * encoded, double-encoded and `..` segments, broken query strings and `$filter`s, huge, malformed
 * and deep JSON, every property of valid bodies given a wrong type, bad headers and ranges.
 * The same seed gives the same requests, so a failure can be replayed.
 */
import { deepJson, malformedJson, wrongTypeBodies, WRONG_TYPES } from "./hostile-bodies.js";
import type { Random } from "./seeded-random.js";

/** A request as it goes on the wire; `target` is the raw request target (path and query). */
export interface HostileRequest {
  kind: string;
  method: string;
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** The entities the generator aims at; they exist on the server under test. */
export interface Targets {
  poolId: string;
  nodeId: string;
  jobId: string;
  taskId: string;
  /** A file of that task. */
  fileName: string;
  apiVersion: string;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "MERGE", "get", "Post"];

/** The bodies of valid requests with one value, at every path, swapped for a value of another type. */
export function wrongTypeRequests(t: Targets, random: Random): HostileRequest[] {
  return wrongTypeBodies(t, random).map(({ path, json }) => jsonRequest("wrong-type", `${path}?api-version=${t.apiVersion}`, json));
}

function jsonRequest(kind: string, target: string, text: string | Buffer, headers: Record<string, string> = {}): HostileRequest {
  const body = typeof text === "string" ? Buffer.from(text) : text;
  return { kind, method: "POST", target, headers: { "Content-Type": "application/json; odata=minimalmetadata", ...headers }, body };
}

const FILTERS = [
  "state eq 'active'",
  "state eq",
  "(((((state eq 'active'",
  "state eq 'active'))))",
  "not not not",
  "startswith(id,'a'",
  "startswith(id)",
  "unknownfn(id,'a')",
  "id eq 'unterminated",
  "executionInfo/exitCode eq 99999999999999999999999999",
  "creationTime gt datetime'not-a-date'",
  "creationTime gt datetime'2024-13-45T99:99:99Z'",
  "id eq 'a' and or 'b'",
  "/",
  "eq eq eq",
  "'''",
  `${"not ".repeat(5000)}state eq 'active'`,
  `${"(".repeat(40)}state eq 'active'${")".repeat(40)}`,
  "state eq 'a' or ".repeat(300) + "state eq 'b'",
  "\u00e9t\u00e4t eq 'x'",
  "state eq 1e999",
  "State eq 'active'",
  "nosuch eq 1",
];

function encodedFilter(random: Random): string {
  const filter = random.chance(0.8) ? random.pick(FILTERS) : random.token(random.int(300));
  return random.chance(0.2) ? encodeURIComponent(encodeURIComponent(filter)) : encodeURIComponent(filter);
}

function query(random: Random, t: Targets): string {
  const parts: string[] = [];
  const broken = ["", "banana", "9".repeat(5000), `2024-07-01.${"9".repeat(50)}.0`, "%zz", "2099-01-01", "2017-09-01.6.0", "2022-10-01.16.0"];
  const apiVersion = random.chance(0.8) ? t.apiVersion : random.pick(broken);
  if (apiVersion !== "" || random.chance(0.5)) parts.push(`api-version=${apiVersion}`);
  if (random.chance(0.3)) parts.push(`$filter=${encodedFilter(random)}`);
  if (random.chance(0.3))
    parts.push(
      `$select=${encodeURIComponent(random.pick(["id,state", "ID", "*", "", ",,,", "a/b", "executionInfo/exitCode", "id,".repeat(2000), random.token(50)]))}`,
    );
  if (random.chance(0.3)) parts.push(`maxresults=${random.pick(["0", "-1", "1", "1000", "1001", "1e3", "abc", "9".repeat(100), ""])}`);
  if (random.chance(0.2)) parts.push(`$skiptoken=${encodeURIComponent(random.pick(["abc", "", "djEuMTAuYWJj", random.token(300)]))}`);
  if (random.chance(0.2))
    parts.push(random.pick(["%", "%%%", "a=%zz", "&&&", "==", "timeout=abc", "timeout=99999", "recursive=maybe", "api-version=2022-10-01.16.0"]));
  return parts.join("&");
}

function segment(random: Random, real: string): string {
  if (random.chance(0.6)) return real;
  return random.pick([
    real,
    real,
    real.toUpperCase(),
    random.token(random.int(20) + 1).replace(/[/?#%]/g, "_"),
    "..",
    "%2e%2e",
    "%2E%2E%2F%2E%2E",
    "..%2F..%2F..%2Fetc%2Fpasswd",
    "%252F",
    "%25252e%25252e",
    "%00",
    "%zz",
    "%F0%9F%98%80",
    "%C3%28",
    "a".repeat(1500),
    encodeURIComponent(random.token(30)),
    "",
  ]);
}

function path(random: Random, t: Targets): string {
  const s = (real: string) => segment(random, real);
  return random.pick([
    () => "/pools",
    () => `/pools/${s(t.poolId)}`,
    () => `/pools/${s(t.poolId)}/nodes`,
    () => `/pools/${s(t.poolId)}/nodes/${s(t.nodeId)}`,
    () => `/pools/${s(t.poolId)}/nodes/${s(t.nodeId)}/files/${s("startup")}/${s("stdout.txt")}`,
    () => `/pools/${s(t.poolId)}/resize`,
    () => "/jobs",
    () => `/jobs/${s(t.jobId)}`,
    () => `/jobs/${s(t.jobId)}/terminate`,
    () => `/jobs/${s(t.jobId)}/taskcounts`,
    () => `/jobs/${s(t.jobId)}/tasks`,
    () => `/jobs/${s(t.jobId)}/addtaskcollection`,
    () => `/jobs/${s(t.jobId)}/tasks/${s(t.taskId)}`,
    () => `/jobs/${s(t.jobId)}/tasks/${s(t.taskId)}/terminate`,
    () => `/jobs/${s(t.jobId)}/tasks/${s(t.taskId)}/files`,
    () => `/jobs/${s(t.jobId)}/tasks/${s(t.taskId)}/files/${s(t.fileName)}`,
    () => `/jobs/${s(t.jobId)}/tasks/${s(t.taskId)}/files/${s("wd")}/${s("..")}/${s("..")}/${s(t.fileName)}`,
    () => "/supportedimages",
    () => "/nodeagentskus",
    () => "/nodecounts",
    () => `//${s("pools")}//`,
    () => `/${s("x")}/${s("y")}/${s("z")}/${s("w")}`,
    () => "/",
    () => "/$metadata",
  ])();
}

function headers(random: Random): Record<string, string> {
  const result: Record<string, string> = {};
  const date = () => random.pick(["Thu, 01 Jan 2026 10:00:00 GMT", "yesterday", "", "Mon, 99 Foo 9999 99:99:99 GMT", "0", new Date(8.64e15).toUTCString()]);
  if (random.chance(0.2)) result["If-Match"] = random.pick(["*", '"0x8D1"', "0x8D1", "", 'W/"x"', random.token(100)]);
  if (random.chance(0.2)) result["If-None-Match"] = random.pick(["*", '"0x8D1"', "", random.token(100)]);
  if (random.chance(0.15)) result["If-Modified-Since"] = date();
  if (random.chance(0.15)) result["If-Unmodified-Since"] = date();
  if (random.chance(0.2))
    result["ocp-range"] = random.pick([
      "bytes=0-4",
      "bytes=5-1",
      "abc",
      "bytes=-0",
      "bytes=99999999-",
      "bytes=0-1,2-3",
      "bytes=-",
      "bytes=1-" + "9".repeat(40),
    ]);
  if (random.chance(0.1)) result["Content-MD5"] = random.pick(["abc", "AAAAAAAAAAAAAAAAAAAAAA==", "", random.token(24)]);
  if (random.chance(0.1)) result["Content-Type"] = random.pick(["text/plain", "application/xml", "", "application/json; charset=utf-16", random.token(40)]);
  if (random.chance(0.2)) {
    result["client-request-id"] = random.pick(["9c4f3a2e-5b1d-4e8f-9a7c-1d2e3f4a5b6c", random.token(2000), "\u00e9\u00e8"]);
    result["return-client-request-id"] = random.pick(["true", "TRUE", "false", "yes"]);
  }
  if (random.chance(0.05)) result["X-Padding"] = "p".repeat(8000);
  if (random.chance(0.1)) result["ocp-date"] = date();
  return result;
}

/** One random request to the unauthenticated endpoint. */
export function randomRequest(random: Random, t: Targets): HostileRequest {
  const target = `${path(random, t)}?${query(random, t)}`;
  const roll = random.next();
  if (roll < 0.15) return jsonRequest("deep-json", target, deepJson(random), headers(random));
  if (roll < 0.3) return jsonRequest("malformed-json", target, malformedJson(random), headers(random));
  if (roll < 0.35) return jsonRequest("random-json", target, JSON.stringify(random.pick(WRONG_TYPES)), headers(random));
  return {
    kind: "random",
    method: random.chance(0.5) ? "GET" : random.pick(METHODS),
    target,
    headers: headers(random),
    body: random.chance(0.1) ? Buffer.from(random.token(random.int(500))) : undefined,
  };
}

/** Bodies over the 1 MB limit, declared or chunked (no Content-Length: the sender streams them). */
export function oversizedRequests(t: Targets, random: Random, count: number): HostileRequest[] {
  return Array.from({ length: count }, (_, i) => {
    const size = 1024 * 1024 + 1 + random.int(4 * 1024 * 1024);
    const body = Buffer.from(`{"value":["${"z".repeat(size)}"]}`);
    const request = jsonRequest("oversized", `/jobs/${t.jobId}/addtaskcollection?api-version=${t.apiVersion}`, body);
    if (i % 2 === 1) request.headers["Transfer-Encoding"] = "chunked";
    return request;
  });
}

/** Requests whose authentication is wrong in one way or another; each must be a 403. */
export function badAuthRequests(t: Targets, random: Random, accountName: string, count: number): HostileRequest[] {
  const signature = () => Buffer.from(Array.from({ length: 32 }, () => random.int(256))).toString("base64");
  const now = () => new Date().toUTCString();
  const cases: (() => Record<string, string>)[] = [
    () => ({ "ocp-date": now() }),
    () => ({ Authorization: "", "ocp-date": now() }),
    () => ({ Authorization: `SharedKey ${accountName}:${signature()}`, "ocp-date": now() }),
    () => ({ Authorization: `SharedKey ${accountName}:${signature()}` }),
    () => ({ Authorization: `SharedKey otheraccount:${signature()}`, "ocp-date": now() }),
    () => ({ Authorization: `Bearer ${random.token(200)}`, "ocp-date": now() }),
    () => ({ Authorization: `SharedKey ${accountName}`, "ocp-date": now() }),
    () => ({ Authorization: `SharedKey ${accountName}:not base64!`, "ocp-date": now() }),
    () => ({ Authorization: `SharedKey ${accountName}:${signature()}`, "ocp-date": "Thu, 01 Jan 2015 10:00:00 GMT" }),
    () => ({ Authorization: `SharedKey ${accountName}:${signature()}`, "ocp-date": "garbage" }),
    () => ({ Authorization: `SharedKey ${accountName}:${signature()}`, Date: now() }),
    () => ({ Authorization: `sharedkey ${accountName.toUpperCase()}:${signature()}`, "ocp-date": now() }),
    () => ({ Authorization: `SharedKey ${accountName}:${signature()}:${signature()}`, "ocp-date": now() }),
    () => ({ Authorization: `SharedKeyLite ${accountName}:${signature()}`, "ocp-date": now() }),
    () => ({ Authorization: random.token(random.int(3000) + 1), "ocp-date": now() }),
  ];
  return Array.from({ length: count }, (_, i) => {
    const method = random.pick(["GET", "POST", "DELETE", "HEAD"]);
    const body = method === "POST" ? Buffer.from(JSON.stringify({ id: `fz-auth-${i}`, poolInfo: { poolId: t.poolId } })) : undefined;
    // A target of ordinary size: a request too big to parse is refused before authentication (400).
    const target = `${path(random, t).slice(0, 2000)}?api-version=${random.pick([t.apiVersion, "banana", ""])}&$filter=${encodeURIComponent(random.pick(FILTERS).slice(0, 500))}`;
    return { kind: "bad-auth", method, target, headers: { ...cases[i % cases.length]!(), "Content-Type": "application/json" }, body };
  });
}

/** Bytes that are not a well-formed HTTP request at all; Node's parser answers these itself. */
export function malformedHttp(random: Random, host: string): string[] {
  return [
    "GARBAGE\r\n\r\n",
    "GET /pools HTTP/9.9\r\n\r\n",
    "GET /pools\r\n\r\n",
    `GET /pools HTTP/1.1\r\nHost: ${host}\r\nBad Header: x\r\n\r\n`,
    `GET /pools HTTP/1.1\r\nHost: ${host}\r\nX: \u0000\r\n\r\n`,
    `GET /po ols HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
    `GET /pools HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello`,
    `GET /pools HTTP/1.1\r\nHost: ${host}\r\nContent-Length: -5\r\n\r\n`,
    `POST /jobs HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n`,
    `POST /jobs HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n`,
    `GET /pools HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`,
    `GET /${"p".repeat(20_000)} HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
    `GET /pools HTTP/1.1\r\nHost: ${host}\r\n${Array.from({ length: 3000 }, (_, i) => `H${i}: v`).join("\r\n")}\r\n\r\n`,
    `GET /pools?api-version=x HTTP/1.1\r\nHost: ${host}\r\n\r\nGET /jobs?api-version=y HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    `\u0000\u0001\u0002${random.token(100)}\r\n\r\n`,
  ];
}
