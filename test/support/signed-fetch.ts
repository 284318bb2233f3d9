import { BatchSharedKeyCredentials } from "@azure/batch";
import { WebResource, type HttpMethods } from "@azure/ms-rest-js";

/** The JSON content type the SDKs send with a body. */
export const BATCH_JSON = "application/json; odata=minimalmetadata; charset=utf-8";

export interface BatchAccount {
  batchUrl: string;
  batchAccountName: string;
  batchAccountKey: string;
}

export interface SignedRequest {
  method?: string;
  /** A JSON value (serialized here) or a raw body, sent as is. */
  json?: unknown;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Query parameters added to the path; `api-version` is added unless the path or this map has one, or `apiVersion` is null. */
  query?: Record<string, string>;
  /** The api-version to add; null sends none. Default 2024-07-01.20.0. */
  apiVersion?: string | null;
  /** false: send without an Authorization header. */
  sign?: boolean;
  /** Sign with another key (base64), e.g. a wrong one. */
  key?: string;
}

export interface BatchHttpResponse {
  status: number;
  headers: Headers;
  /** The raw body. */
  bytes: Buffer;
  text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON: read as the test expects it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export const DEFAULT_API_VERSION = "2024-07-01.20.0";

/**
 * `fetch` against a Batch endpoint, signed the way `@azure/batch` signs its requests:
 * `BatchSharedKeyCredentials.signRequest` on an ms-rest-js `WebResource`, whose headers are then
 * sent unchanged. `pathOrUrl` is either a path (`/pools`) or an absolute URL (an `odata.nextLink`).
 */
export function signedFetcher(account: BatchAccount) {
  return async function batchFetch(pathOrUrl: string, request: SignedRequest = {}): Promise<BatchHttpResponse> {
    const url = new URL(pathOrUrl, account.batchUrl);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.append(name, value);
    const apiVersion = request.apiVersion === undefined ? DEFAULT_API_VERSION : request.apiVersion;
    if (apiVersion !== null && !url.searchParams.has("api-version")) url.searchParams.append("api-version", apiVersion);
    const method = (request.method ?? (request.json !== undefined || request.body !== undefined ? "POST" : "GET")).toUpperCase();
    const body = request.json !== undefined ? JSON.stringify(request.json) : request.body;
    const headers: Record<string, string> = { ...request.headers };
    if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) headers["Content-Type"] = BATCH_JSON;

    const resource = new WebResource(url.href, method as HttpMethods, body, undefined, headers);
    if (request.sign !== false) {
      await new BatchSharedKeyCredentials(account.batchAccountName, request.key ?? account.batchAccountKey).signRequest(resource);
    } else if (!resource.headers.get("ocp-date")) {
      resource.headers.set("ocp-date", new Date().toUTCString());
    }
    const sent: Record<string, string> = {};
    for (const header of resource.headers.headersArray()) sent[header.name] = header.value;

    const response = await fetch(url.href, {
      method,
      headers: sent,
      body: body === undefined ? undefined : typeof body === "string" ? body : new Uint8Array(body),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.toString("utf8");
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, bytes, text, json };
  };
}

export type BatchFetch = ReturnType<typeof signedFetcher>;
