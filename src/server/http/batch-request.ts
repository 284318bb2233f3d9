import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";

/** One request to the Batch endpoint, parsed and authenticated; `Params` are its route's parameters. */
export interface BatchRequest<Params = Record<string, string>> {
  method: string;
  /** The absolute URL the client used (the server's public base plus the request target). */
  url: URL;
  /** Route parameters, percent-decoded (`poolId`, `jobId`, `taskId`, `nodeId`, `filePath`). */
  params: Params;
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
  /** A raw body held in memory. */
  raw?: Buffer;
  /**
   * A body streamed as it is read (file contents), with its `Content-Length` in `headers`. The
   * pipeline sends it with backpressure and destroys it when the answer is not sent to the end.
   */
  stream?: Readable;
  /** Close the connection after this answer (`Connection: close`): what is left of the request is not worth reading. */
  closeConnection?: boolean;
}

export type Handler<Params = Record<string, string>> = (request: BatchRequest<Params>) => Promise<BatchResponse>;

/** The first value of a query parameter, by exact name. */
export function queryValue(request: BatchRequest, name: string): string | undefined {
  return request.url.searchParams.get(name) ?? undefined;
}
