import { NotModified, type AccessConditions } from "../../core/access-conditions.js";

interface AnswerLike {
  statusCode?: unknown;
  response?: { headers?: { get?(name: string): string | undefined } };
}

/**
 * The service's 304 to a conditional read, which `@azure/batch` raises as an error (the operation
 * specs list 200 only), as the core `NotModified` with the validators the answer carries; the
 * request's own `If-None-Match`/`If-Modified-Since` stand in for any the answer lacks.
 */
export function notModifiedFrom(error: unknown, conditions?: AccessConditions): NotModified | undefined {
  if (typeof error !== "object" || error === null || (error as AnswerLike).statusCode !== 304) return undefined;
  const headers = (error as AnswerLike).response?.headers;
  const eTag = headers?.get?.("etag") ?? conditions?.ifNoneMatch ?? "";
  const lastModified = headers?.get?.("last-modified") ?? conditions?.ifModifiedSince;
  const parsed = lastModified === undefined ? Number.NaN : Date.parse(lastModified);
  return new NotModified({ eTag, lastModified: new Date(Number.isNaN(parsed) ? Date.now() : parsed).toISOString() });
}
