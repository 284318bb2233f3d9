import type { IncomingHttpHeaders } from "node:http";

/** One request to the Batch endpoint, parsed and authenticated. */
export interface BatchRequest {
  method: string;
  /** The absolute URL the client used (the server's public base plus the request target). */
  url: URL;
  /** Route parameters, percent-decoded (`poolId`, `jobId`, `taskId`, `nodeId`, `filePath`). */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
  apiVersion: string;
  requestId: string;
}

/** What a handler answers; the pipeline adds the common headers and serializes. */
export interface BatchResponse {
  status: number;
  headers?: Record<string, string>;
  /** A JSON body (entities, lists, errors). */
  json?: unknown;
  /** A raw body (file contents). */
  raw?: Buffer;
}

export type Handler = (request: BatchRequest) => Promise<BatchResponse>;

/** The first value of a query parameter, by exact name. */
export function queryValue(request: BatchRequest, name: string): string | undefined {
  return request.url.searchParams.get(name) ?? undefined;
}
