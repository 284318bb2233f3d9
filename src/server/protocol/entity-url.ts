import type { BatchRequest } from "../http/batch-request.js";

/**
 * The URL of the entity a request acts on (`https://account/pools/p`), from the request's own
 * origin and its decoded route parameters, for the `DataServiceId` of a 202/204 answer: no need
 * to fetch the entity for it.
 */
export function entityUrl(request: BatchRequest, ...segments: string[]): string {
  return `${request.url.origin}/${segments.map(encodeURIComponent).join("/")}`;
}
