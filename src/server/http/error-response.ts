import { BatchError } from "../../core/batch-error.js";
import type { Logger } from "../../core/logger.js";
import { NotModified } from "../../core/access-conditions.js";
import type { BatchResponse } from "./batch-request.js";

/** Any failure as the service's flat error body; unexpected errors become 500 and are logged. */
export function errorResponse(error: unknown, requestId: string, origin: string, log: Logger): BatchResponse {
  if (error instanceof NotModified) {
    return { status: 304, headers: { ETag: error.entity.eTag, "Last-Modified": new Date(error.entity.lastModified).toUTCString() } };
  }
  const batchError =
    error instanceof BatchError ? error : new BatchError(500, "InternalServerError", "Server encountered an internal error. Please try again after some time.");
  if (!(error instanceof BatchError)) log.warn(`request ${requestId} failed: ${(error as Error).stack ?? String(error)}`);
  const metadata = `${origin}/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element`;
  return { status: batchError.statusCode, json: { "odata.metadata": metadata, ...batchError.toBody(requestId) } };
}
