import type { IncomingMessage } from "node:http";
import { BatchErrors } from "../../core/batch-errors.js";

/** The service refuses request bodies over 1 MB (`RequestBodyTooLarge`). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the whole body, refusing it as soon as it passes the limit. */
export async function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > limit) {
    request.resume();
    throw BatchErrors.requestBodyTooLarge(declared);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      request.resume();
      throw BatchErrors.requestBodyTooLarge(size);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
