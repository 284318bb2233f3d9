import type { AccessConditions } from "../../core/access-conditions.js";
import type { BatchRequest } from "../http/batch-request.js";

function header(request: BatchRequest, name: string): string | undefined {
  const value = request.headers[name];
  const text = Array.isArray(value) ? value.join(",") : value;
  return text === undefined || text.trim() === "" ? undefined : text.trim();
}

/** An HTTP date; a malformed one is ignored, as RFC 9110 §13.1.3 and §13.1.4 require of a recipient. */
function dateHeader(request: BatchRequest, name: string): string | undefined {
  const value = header(request, name);
  return value !== undefined && !Number.isNaN(Date.parse(value)) ? value : undefined;
}

/**
 * The request's `If-Match`, `If-None-Match`, `If-Modified-Since` and `If-Unmodified-Since`, for
 * the service to apply where it decides the operation; undefined when there are none.
 */
export function accessConditions(request: BatchRequest): AccessConditions | undefined {
  const conditions: AccessConditions = {};
  const ifMatch = header(request, "if-match");
  const ifNoneMatch = header(request, "if-none-match");
  const ifModifiedSince = dateHeader(request, "if-modified-since");
  const ifUnmodifiedSince = dateHeader(request, "if-unmodified-since");
  if (ifMatch !== undefined) conditions.ifMatch = ifMatch;
  if (ifNoneMatch !== undefined) conditions.ifNoneMatch = ifNoneMatch;
  if (ifModifiedSince !== undefined) conditions.ifModifiedSince = ifModifiedSince;
  if (ifUnmodifiedSince !== undefined) conditions.ifUnmodifiedSince = ifUnmodifiedSince;
  return Object.keys(conditions).length > 0 ? conditions : undefined;
}
