import type { IncomingMessage } from "node:http";
import { BatchError } from "../../core/batch-error.js";
import { BatchErrors } from "../../core/batch-errors.js";

/** The service refuses request bodies over 1 MB (`RequestBodyTooLarge`). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The body length the request declares in `Content-Length`; undefined for a chunked body. A
 * request with neither header has no body (RFC 9112 §6.3), so its length is 0. Node's parser has
 * already refused a malformed or repeated Content-Length.
 */
export function declaredBodyLength(request: IncomingMessage): number | undefined {
  const header = request.headers["content-length"];
  if (header !== undefined) return Number(header);
  return request.headers["transfer-encoding"] === undefined ? 0 : undefined;
}

/** Refuses a body whose `Content-Length` is over the limit, before a byte of it is read. */
export function refuseDeclaredOversize(request: IncomingMessage, limit = MAX_BODY_BYTES): void {
  const declared = declaredBodyLength(request);
  if (declared !== undefined && declared > limit) throw BatchErrors.requestBodyTooLarge(declared);
}

/**
 * Reads the whole body, refusing it as soon as it passes the limit: reading stops there (the
 * request stays paused) and the caller answers 413 and closes the connection, so the rest is
 * never read. A client that goes away mid-body ends the read with a 400 nobody receives.
 */
export function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      request.off("data", onData).off("end", onEnd).off("error", onGone).off("close", onGone);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        stop();
        request.pause();
        reject(BatchErrors.requestBodyTooLarge(size));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onGone = (): void => {
      stop();
      reject(new BatchError(400, "InvalidInput", "The connection closed before the request body was complete."));
    };
    request.on("data", onData).on("end", onEnd).on("error", onGone).on("close", onGone);
  });
}
