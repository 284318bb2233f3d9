import { randomUUID } from "node:crypto";
import type { Duplex } from "node:stream";
import { BatchError } from "../../core/batch-error.js";
import { JSON_CONTENT_TYPE } from "./write-response.js";

/** What Node's HTTP parser reports, by error code, in words. */
const REASONS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: "The request line and headers are longer than 16 KB.",
  HPE_INVALID_METHOD: "The request method is not valid.",
  HPE_INVALID_URL: "The request target is not valid.",
  HPE_INVALID_VERSION: "The HTTP version is not valid.",
  HPE_INVALID_HEADER_TOKEN: "A header name or value has characters HTTP does not allow.",
  HPE_INVALID_CONTENT_LENGTH: "The Content-Length is not valid.",
  HPE_UNEXPECTED_CONTENT_LENGTH: "The request has both a Content-Length and a Transfer-Encoding.",
  HPE_INVALID_CHUNK_SIZE: "A chunk size of the chunked body is not valid.",
  HPE_INVALID_TRANSFER_ENCODING: "The Transfer-Encoding is not valid.",
};

/**
 * Answers bytes Node's parser could not read as an HTTP request (Node's own answer would be a
 * bare 400 or 431 without a body). The status is 400, as the Azure front end (HTTP.sys) answers a
 * malformed or oversized request ("Bad Request - Request Too Long"), with the Batch error body and
 * the documented generic code `InvalidInput`; then the connection is closed. A client too slow to
 * send its request (slowloris) or already gone gets no answer: its connection is just dropped.
 */
export function answerClientError(error: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex, origin: string): void {
  const answerable = socket.writable && error.code !== "ECONNRESET" && error.code !== "ERR_HTTP_REQUEST_TIMEOUT";
  // Node sets _httpMessage while a response is on this socket; it must not get a second one.
  const responding = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (!answerable || responding) {
    socket.destroy();
    return;
  }
  const requestId = randomUUID();
  const reason = REASONS[error.code ?? ""] ?? "The request is not well-formed HTTP.";
  const batchError = new BatchError(400, "InvalidInput", "One of the request inputs is not valid.", [{ key: "Reason", value: reason }]);
  const metadata = `${origin}/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element`;
  const body = Buffer.from(JSON.stringify({ "odata.metadata": metadata, ...batchError.toBody(requestId) }));
  const head = [
    "HTTP/1.1 400 Bad Request",
    `Content-Type: ${JSON_CONTENT_TYPE}`,
    `Content-Length: ${body.length}`,
    `request-id: ${requestId}`,
    "DataServiceVersion: 3.0",
    "Connection: close",
  ];
  // What the parser had buffered starts with the request line, when it got that far: a HEAD gets no body.
  const headOnly = error.rawPacket?.subarray(0, 5).toString("latin1") === "HEAD ";
  socket.end(Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`), headOnly ? Buffer.alloc(0) : body]), () => socket.destroy());
}
