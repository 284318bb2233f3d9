import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { parse as legacyUrlParse } from "node:url";
import { BatchSharedKeyCredentials } from "@azure/batch";
import { URLBuilder, WebResource, type HttpMethods } from "@azure/ms-rest-js";
import { describe, expect, it } from "vitest";
import { verifySharedKey, type BatchAccountCredentials, type IncomingSignedRequest } from "../../../src/server/auth/shared-key-authenticator.js";

const ACCOUNT: BatchAccountCredentials = {
  name: "malachite",
  key: Buffer.from("malachite-test-key-0123456789abcdef-0123456789abcdef-0123456789ab").toString("base64"),
};
const OTHER_KEY = Buffer.from("another-key-that-is-not-the-account-key-0123456789").toString("base64");
const BASE_URL = `https://${ACCOUNT.name}.westeurope.batch.azure.com`;
const JSON_CONTENT_TYPE = "application/json; odata=minimalmetadata; charset=utf-8";

// ---------------------------------------------------------------------------------------------
// JS: @azure/batch 10.2.0 signs ms-rest-js WebResources; ms-rest-js sends them with node-fetch 2.
// ---------------------------------------------------------------------------------------------

/** What node-fetch 2 puts on the request line: `url.parse(new URL(url).toString()).path` (its parseURL). */
function wireTarget(url: string): string {
  return legacyUrlParse(new URL(url).toString()).path ?? "/";
}

/** The request as an HTTP server receives it after ms-rest-js / node-fetch sent it. */
function receivedByServer(resource: WebResource): IncomingSignedRequest {
  const headers: IncomingHttpHeaders = {};
  for (const { name, value } of resource.headers.headersArray()) headers[name.toLowerCase()] = value;
  const body = resource.body as string | undefined;
  // node-fetch getNodeRequestOptions: byte length of a body, "0" for a body-less POST/PUT, else nothing.
  if (body != null) headers["content-length"] = String(Buffer.byteLength(body));
  else if (/^(POST|PUT)$/i.test(resource.method)) headers["content-length"] = "0";
  return {
    method: resource.method,
    target: wireTarget(resource.url),
    headers,
    bodyLength: body == null ? 0 : Buffer.byteLength(body),
  };
}

async function signWithJsSdk(
  method: HttpMethods,
  url: string,
  options: { body?: string; headers?: Record<string, string>; accountName?: string; key?: string } = {},
): Promise<IncomingSignedRequest> {
  const resource = new WebResource(url, method, options.body, undefined, {
    "client-request-id": "6d8e3a60-8c2b-4c9c-a4a8-0b1c2d3e4f50",
    "return-client-request-id": "false",
    ...options.headers,
  });
  await new BatchSharedKeyCredentials(options.accountName ?? ACCOUNT.name, options.key ?? ACCOUNT.key).signRequest(resource);
  return receivedByServer(resource);
}

function expectFailure(request: IncomingSignedRequest, reasonPattern: RegExp, account = ACCOUNT, now = new Date()): void {
  const result = verifySharedKey(request, account, now);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.reason).toMatch(reasonPattern);
  expect(result.reason).not.toContain(account.key);
  const authorization = String(request.headers.authorization ?? "");
  const signature = authorization.slice(authorization.indexOf(":") + 1);
  if (signature) expect(result.reason).not.toContain(signature);
}

describe("verifySharedKey with requests signed by @azure/batch (JS)", () => {
  const filterUrl = `${BASE_URL}/pools?api-version=2022-10-01.16.0&maxresults=10&$filter=state eq 'active'`;

  it("accepts a GET with a $filter written literally (spaces and quotes are escaped on the wire)", async () => {
    const request = await signWithJsSdk("GET", filterUrl);
    expect(request.target).toBe("/pools?api-version=2022-10-01.16.0&maxresults=10&$filter=state%20eq%20%27active%27");
    expect(request.headers["ocp-date"]).toBeTruthy();
    expect(verifySharedKey(request, ACCOUNT)).toEqual({ ok: true });
  });

  it("accepts a GET whose URL is built the way ms-rest-js ServiceClient builds it", async () => {
    const url = URLBuilder.parse(BASE_URL);
    url.appendPath("pools");
    url.setQueryParameter("api-version", encodeURIComponent("2022-10-01.16.0"));
    url.setQueryParameter("$filter", encodeURIComponent("state eq 'active' and id eq 'a+b/c'"));
    url.setQueryParameter("maxresults", "10");
    const request = await signWithJsSdk("GET", url.toString());
    expect(request.target).toContain("$filter=state%20eq%20%27active%27%20and%20id%20eq%20%27a%2Bb%2Fc%27");
    expect(verifySharedKey(request, ACCOUNT)).toEqual({ ok: true });
  });

  it("accepts a POST with a JSON body, its Content-Type and Content-Length signed", async () => {
    const body = JSON.stringify({ id: "pool-ü", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
    const request = await signWithJsSdk("POST", `${BASE_URL}/pools?api-version=2022-10-01.16.0`, {
      body,
      headers: { "Content-Type": JSON_CONTENT_TYPE },
    });
    expect(request.headers["content-type"]).toBe(JSON_CONTENT_TYPE);
    expect(request.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
    expect(verifySharedKey(request, ACCOUNT)).toEqual({ ok: true });
  });

  it("accepts a DELETE without a body (signed with an empty Content-Length, none on the wire)", async () => {
    const request = await signWithJsSdk("DELETE", `${BASE_URL}/jobs/job%201?api-version=2022-10-01.16.0`);
    expect(request.headers["content-length"]).toBeUndefined();
    expect(verifySharedKey(request, ACCOUNT)).toEqual({ ok: true });
  });

  it('accepts a POST with an empty body, both undefined and "" (signed with Content-Length 0)', async () => {
    for (const body of [undefined, ""]) {
      const request = await signWithJsSdk("POST", `${BASE_URL}/pools/p1/disableautoscale?api-version=2022-10-01.16.0`, {
        body,
        headers: { "Content-Type": JSON_CONTENT_TYPE },
      });
      expect(request.headers["content-length"]).toBe("0");
      expect(verifySharedKey(request, ACCOUNT)).toEqual({ ok: true });
    }
  });

  it("accepts a PUT without a body (signed with an empty Content-Length, sent with Content-Length: 0)", async () => {
    const request = await signWithJsSdk("PUT", `${BASE_URL}/jobs/j1?api-version=2022-10-01.16.0`);
    expect(request.headers["content-length"]).toBe("0");
    expect(verifySharedKey(request, ACCOUNT)).toEqual({ ok: true });
  });

  it("accepts a path signed un-encoded but escaped on the wire (decoded path variant)", async () => {
    const request = await signWithJsSdk("GET", `${BASE_URL}/jobs/my job/tasks?api-version=2022-10-01.16.0`);
    expect(request.target).toBe("/jobs/my%20job/tasks?api-version=2022-10-01.16.0");
    expect(verifySharedKey(request, ACCOUNT)).toEqual({ ok: true });
  });

  it("rejects a tampered path", async () => {
    const request = await signWithJsSdk("GET", filterUrl);
    expectFailure({ ...request, target: request.target.replace("/pools", "/jobs") }, /MAC signature/);
  });

  it("rejects a tampered query value", async () => {
    const request = await signWithJsSdk("GET", filterUrl);
    expectFailure({ ...request, target: request.target.replace("maxresults=10", "maxresults=11") }, /MAC signature/);
  });

  it("rejects a request signed with another key", async () => {
    expectFailure(await signWithJsSdk("GET", filterUrl, { key: OTHER_KEY }), /MAC signature/);
  });

  it("rejects a request signed for another account", async () => {
    expectFailure(await signWithJsSdk("GET", filterUrl, { accountName: "otheraccount" }), /account name 'otheraccount'/);
  });

  it("rejects an ocp-date 20 minutes old even though the signature is right", async () => {
    const stale = new Date(Date.now() - 20 * 60 * 1000).toUTCString();
    const request = await signWithJsSdk("GET", filterUrl, { headers: { "ocp-date": stale } });
    expect(request.headers["ocp-date"]).toBe(stale);
    expectFailure(request, /ocp-date.*15 minutes/);
    // The same request is fine for a server whose clock says it is 20 minutes earlier.
    expect(verifySharedKey(request, ACCOUNT, new Date(Date.now() - 20 * 60 * 1000))).toEqual({ ok: true });
  });

  it("rejects a request without an Authorization header", async () => {
    const request = await signWithJsSdk("GET", filterUrl);
    delete request.headers.authorization;
    expectFailure(request, /Authorization header is missing/);
  });

  it("rejects another scheme and a malformed header", async () => {
    const request = await signWithJsSdk("GET", filterUrl);
    expectFailure({ ...request, headers: { ...request.headers, authorization: "Bearer eyJhbGciOi" } }, /not in the form|scheme/);
    const signature = String(request.headers.authorization).split(":")[1];
    expectFailure({ ...request, headers: { ...request.headers, authorization: `SharedKeyLite ${ACCOUNT.name}:${signature}` } }, /scheme 'SharedKeyLite'/);
    expectFailure({ ...request, headers: { ...request.headers, authorization: `SharedKey ${ACCOUNT.name}:not-base64` } }, /not a base64/);
  });
});

// ---------------------------------------------------------------------------------------------
// Python: azure.batch.batch_auth.SharedKeyCredentials hooked into a requests.Session, as msrest does.
// ---------------------------------------------------------------------------------------------

const PYTHON = "/usr/bin/python3";
const pythonProbe = spawnSync(PYTHON, ["-c", "import azure.batch.batch_auth, msrest, requests"], { encoding: "utf8" });
const pythonMissing = pythonProbe.status !== 0;
const pythonSkipReason = pythonMissing
  ? `azure.batch is not importable by ${PYTHON}: ${(pythonProbe.stderr || String(pythonProbe.error ?? "")).trim().split("\n").pop()}`
  : "";

/**
 * Builds the requests the way azure.batch operations + msrest do (Serializer.query quoting,
 * ClientRequest.format_parameters / add_content, then Session.request → prepare_request, which
 * runs SharedKeyAuth.__call__ after the body and Content-Length are prepared) and prints what
 * goes on the wire.
 */
const PYTHON_SCRIPT = String.raw`
import json, sys, uuid
import requests
from azure.batch.batch_auth import SharedKeyCredentials
from msrest.serialization import Serializer
from msrest.universal_http import ClientRequest

name, key, base = sys.argv[1:4]
serialize = Serializer()
session = SharedKeyCredentials(name, key).signed_session(requests.Session())

def wire(method, path, query, headers, body=None):
    request = ClientRequest(method, base + path)
    request.format_parameters({k: serialize.query(k, v, t) for k, (v, t) in query.items()})
    request.headers.update(headers)
    request.add_content(body)
    prepared = session.prepare_request(requests.Request(method, request.url, headers=request.headers, data=request.data))
    data = prepared.body or b""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return {
        "method": prepared.method,
        "target": prepared.path_url,
        "headers": {k.lower(): v for k, v in prepared.headers.items()},
        "bodyLength": len(data),
    }

api = {"api-version": ("2022-10-01.16.0", "str")}
common = {"client-request-id": str(uuid.uuid1()), "return-client-request-id": "false"}
json_type = {"Content-Type": "application/json; odata=minimalmetadata; charset=utf-8"}
print(json.dumps({
    "get": wire("GET", "/pools", {**api, "$filter": ("state eq 'active' and id eq 'a+b'", "str"), "maxresults": (10, "int")},
                {"Accept": "application/json", **common}),
    "post": wire("POST", "/pools", api, {**json_type, **common},
                 {"id": "pool1", "vmSize": "standard_d2s_v3", "targetDedicatedNodes": 1}),
    "delete": wire("DELETE", "/jobs/" + serialize.url("job_id", "job 1", "str"), api, {"Accept": "application/json", **common}),
    "emptyPost": wire("POST", "/pools/p1/disableautoscale", {**api, "timeout": (30, "int")}, {**json_type, **common}),
    "emptyParam": wire("GET", "/jobs", {**api, "$select": ("", "str")}, {"Accept": "application/json", **common}),
}))
`;

type PythonSignedRequests = Record<"get" | "post" | "delete" | "emptyPost" | "emptyParam", IncomingSignedRequest>;

function signWithPythonSdk(): PythonSignedRequests {
  const run = spawnSync(PYTHON, ["-c", PYTHON_SCRIPT, ACCOUNT.name, ACCOUNT.key, BASE_URL], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as PythonSignedRequests;
}

describe("verifySharedKey with requests signed by azure.batch (Python)", () => {
  const signed = pythonMissing ? undefined : signWithPythonSdk();

  it.skipIf(pythonMissing)(`accepts a GET with a $filter and maxresults ${pythonSkipReason}`, () => {
    const request = signed!.get;
    expect(request.target).toContain("&$filter=state%20eq%20%27active%27%20and%20id%20eq%20%27a%2Bb%27");
    expect(verifySharedKey(request, ACCOUNT)).toEqual({ ok: true });
  });

  it.skipIf(pythonMissing)(`accepts a POST with a JSON body ${pythonSkipReason}`, () => {
    const request = signed!.post;
    expect(request.headers["content-type"]).toBe(JSON_CONTENT_TYPE);
    expect(request.headers["content-length"]).toBe(String(request.bodyLength));
    expect(verifySharedKey(request, ACCOUNT)).toEqual({ ok: true });
  });

  it.skipIf(pythonMissing)(`accepts a DELETE without a body (requests sends and signs Content-Length: 0) ${pythonSkipReason}`, () => {
    const request = signed!.delete;
    expect(request.target.startsWith("/jobs/job%201?")).toBe(true);
    expect(request.headers["content-length"]).toBe("0");
    expect(verifySharedKey(request, ACCOUNT)).toEqual({ ok: true });
  });

  it.skipIf(pythonMissing)(`accepts a body-less POST ${pythonSkipReason}`, () => {
    expect(verifySharedKey(signed!.emptyPost, ACCOUNT)).toEqual({ ok: true });
  });

  it.skipIf(pythonMissing)(`accepts a GET with an empty parameter, which parse_qs leaves out of the signature ${pythonSkipReason}`, () => {
    const request = signed!.emptyParam;
    expect(request.target).toContain("$select=");
    expect(verifySharedKey(request, ACCOUNT)).toEqual({ ok: true });
  });

  it.skipIf(pythonMissing)(`rejects the Python GET with a wrong key or a tampered path ${pythonSkipReason}`, () => {
    expectFailure(signed!.get, /MAC signature/, { ...ACCOUNT, key: OTHER_KEY });
    expectFailure({ ...signed!.get, target: signed!.get.target.replace("/pools", "/jobs") }, /MAC signature/);
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-built requests: the accepted variants, one at a time, with literal strings-to-sign.
// ---------------------------------------------------------------------------------------------

describe("verifySharedKey variants (hand-built)", () => {
  const now = new Date("2024-05-06T07:08:09Z");
  const ocpDate = now.toUTCString();

  function sign(stringToSign: string, key = ACCOUNT.key): string {
    return createHmac("sha256", Buffer.from(key, "base64")).update(stringToSign, "utf8").digest("base64");
  }

  /** Standard header lines: Content-Encoding .. Range with only Content-Length and Content-Type filled in. */
  function stringToSign(verb: string, contentLength: string, contentType: string, resource: string, date = ""): string {
    return `${verb}\n\n\n${contentLength}\n\n${contentType}\n${date}\n\n\n\n\n\nocp-date:${ocpDate}\n/${ACCOUNT.name}${resource}`;
  }

  function request(method: string, target: string, signed: string, headers: IncomingHttpHeaders = {}, bodyLength = 0): IncomingSignedRequest {
    return {
      method,
      target,
      headers: { "ocp-date": ocpDate, ...headers, authorization: `SharedKey ${ACCOUNT.name}:${sign(signed)}` },
      bodyLength,
    };
  }

  it('accepts Content-Length signed as "" while "0" was received, and signed "0" while none was received', () => {
    const target = "/pools/p1/disableautoscale?api-version=2022-10-01.16.0";
    const resource = "/pools/p1/disableautoscale\napi-version:2022-10-01.16.0";
    expect(verifySharedKey(request("POST", target, stringToSign("POST", "", "", resource), { "content-length": "0" }), ACCOUNT, now)).toEqual({ ok: true });
    expect(verifySharedKey(request("POST", target, stringToSign("POST", "0", "", resource)), ACCOUNT, now)).toEqual({ ok: true });
    expect(verifySharedKey(request("POST", target, stringToSign("POST", "0", "", resource), { "content-length": "0" }), ACCOUNT, now)).toEqual({ ok: true });
  });

  it("accepts query names lower-cased as well as as sent", () => {
    const target = "/pools?api-version=2022-10-01.16.0&MaxResults=10&%24Filter=id%20eq%20%27x%27";
    const asSent = "/pools\n$Filter:id eq 'x'\nMaxResults:10\napi-version:2022-10-01.16.0";
    const lowerCased = "/pools\n$filter:id eq 'x'\napi-version:2022-10-01.16.0\nmaxresults:10";
    expect(verifySharedKey(request("GET", target, stringToSign("GET", "", "", asSent)), ACCOUNT, now)).toEqual({ ok: true });
    expect(verifySharedKey(request("GET", target, stringToSign("GET", "", "", lowerCased)), ACCOUNT, now)).toEqual({ ok: true });
  });

  it("accepts repeated parameters as first value, joined or one line each, and empty parameters kept or dropped", () => {
    const target = "/pools?b=2&a=1&b=1&empty=";
    const resources = ["/pools\na:1\nb:2\nempty:", "/pools\na:1\nb:1,2\nempty:", "/pools\na:1\nb:1\nb:2\nempty:", "/pools\na:1\nb:2"];
    for (const resource of resources) {
      expect(verifySharedKey(request("GET", target, stringToSign("GET", "", "", resource)), ACCOUNT, now)).toEqual({ ok: true });
    }
  });

  it("accepts the Date header signed in the Date line next to ocp-date, as both SDKs do", () => {
    const target = "/pools";
    const date = "Mon, 06 May 2024 07:08:00 GMT";
    expect(verifySharedKey(request("GET", target, stringToSign("GET", "", "", "/pools", date), { date }), ACCOUNT, now)).toEqual({ ok: true });
    expect(verifySharedKey(request("GET", target, stringToSign("GET", "", "", "/pools"), { date }), ACCOUNT, now)).toEqual({ ok: true });
  });

  it("still rejects a request that differs in the VERB only", () => {
    const target = "/pools?api-version=2022-10-01.16.0&MaxResults=10";
    const resource = "/pools\napi-version:2022-10-01.16.0\nmaxresults:10";
    const signedAsGet = request("GET", target, stringToSign("GET", "", "", resource), { "content-length": "0" });
    expect(verifySharedKey(signedAsGet, ACCOUNT, now)).toEqual({ ok: true });
    expectFailure({ ...signedAsGet, method: "DELETE" }, /MAC signature/, ACCOUNT, now);
    expectFailure({ ...signedAsGet, method: "POST" }, /MAC signature/, ACCOUNT, now);
  });

  it("rejects a missing or unparsable request time", () => {
    const signed = stringToSign("GET", "", "", "/pools");
    const noDate = request("GET", "/pools", signed);
    delete noDate.headers["ocp-date"];
    expect(verifySharedKey(noDate, ACCOUNT, now)).toEqual({ ok: false, reason: expect.stringMatching(/neither an ocp-date nor a Date/) });
    const badDate = request("GET", "/pools", signed, { "ocp-date": "yesterday-ish" });
    expect(verifySharedKey(badDate, ACCOUNT, now)).toEqual({ ok: false, reason: expect.stringMatching(/not a valid/) });
  });

  it("falls back to the Date header for the request time when ocp-date is absent", () => {
    const date = "Mon, 06 May 2024 07:00:00 GMT";
    const signed = `GET\n\n\n\n\n\n${date}\n\n\n\n\n\n/${ACCOUNT.name}/pools`;
    const withDate: IncomingSignedRequest = {
      method: "GET",
      target: "/pools",
      headers: { date, authorization: `SharedKey ${ACCOUNT.name}:${sign(signed)}` },
      bodyLength: 0,
    };
    expect(verifySharedKey(withDate, ACCOUNT, now)).toEqual({ ok: true });
    expect(verifySharedKey(withDate, ACCOUNT, new Date(now.getTime() + 16 * 60 * 1000)).ok).toBe(false);
  });
});
