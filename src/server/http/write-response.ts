import type { ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { BatchResponse } from "./batch-request.js";

export const JSON_CONTENT_TYPE = "application/json;odata=minimalmetadata";

/**
 * Writes a response with the headers every Batch response carries. Settles once the body is out;
 * a streamed body is piped with backpressure, and destroyed (its file closed) if the answer is
 * not sent to its end: the client went away, or the headers could not be written.
 */
export async function writeResponse(
  res: ServerResponse,
  response: BatchResponse,
  common: { requestId: string; clientRequestId?: string; method: string },
): Promise<void> {
  const headers: Record<string, string> = { "request-id": common.requestId, DataServiceVersion: "3.0", ...response.headers };
  if (common.clientRequestId) headers["client-request-id"] = common.clientRequestId;
  // Node then ends the socket once the answer is out, instead of reading the rest of the request.
  if (response.closeConnection) headers.Connection = "close";
  const bodyless = common.method === "HEAD" || response.status === 304;
  const { stream } = response;
  if (stream) {
    try {
      res.writeHead(response.status, headers);
    } catch (error) {
      stream.destroy();
      throw error;
    }
    if (bodyless) {
      stream.destroy();
      res.end();
      return;
    }
    await pipeline(stream, res);
    return;
  }
  let body: Buffer | undefined;
  if (response.raw) body = response.raw;
  else if (response.json !== undefined) {
    body = Buffer.from(JSON.stringify(response.json));
    headers["Content-Type"] = JSON_CONTENT_TYPE;
  }
  if (response.status !== 304 && !("Content-Length" in headers)) headers["Content-Length"] = String(body?.length ?? 0);
  res.writeHead(response.status, headers);
  res.end(bodyless ? undefined : body);
}
