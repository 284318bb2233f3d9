import { queryValue, type BatchRequest, type BatchResponse } from "../http/batch-request.js";
import type { EntitySet } from "./entity-sets.js";
import type { FilterPredicate } from "./odata-filter.js";
import { encodeSkipToken, nextLinkFor, parsePageRequest } from "./paging.js";
import { filterOf, selectionOf } from "./query-options.js";
import { toVersionNames } from "./wire-names.js";

/** What a page is read with: the offset and size the request asks for, and its `$filter` (as text, and compiled) when it has one. */
export interface PageQuery {
  skip: number;
  maxResults: number;
  filter?: { expression: string; matches: FilterPredicate };
}

/** One page from a source that pages itself (e.g. from an index), with the offset of the next page when more items match. */
export type PageSource = (query: PageQuery) => Promise<{ value: readonly object[]; nextSkip?: number }>;

/**
 * A list whose source reads only the page asked for: the same response as `listResponse`
 * (responses.ts), `$filter` and `$select` compiled before anything is read, so a bad name is a 400.
 */
export async function pagedListResponse(request: BatchRequest, entitySet: EntitySet, source: PageSource): Promise<BatchResponse> {
  const expression = queryValue(request, "$filter");
  const matches = filterOf(request, entitySet);
  const select = selectionOf(request, entitySet);
  const { maxResults, skip } = parsePageRequest(request.url.searchParams);
  const page = await source({ skip, maxResults, ...(expression ? { filter: { expression, matches } } : {}) });
  const value = page.value.map((item) => toVersionNames(select(item), request.apiVersion));
  const json: Record<string, unknown> = { "odata.metadata": `${request.url.origin}/$metadata#${entitySet}`, value };
  if (page.nextSkip !== undefined) json["odata.nextLink"] = nextLinkFor(request.url, encodeSkipToken(page.nextSkip));
  return { status: 200, json };
}
