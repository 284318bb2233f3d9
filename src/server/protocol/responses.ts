import type { BatchRequest, BatchResponse } from "../http/batch-request.js";
import type { EntitySet } from "./entity-sets.js";
import { nextLinkFor, pageOf, parsePageRequest } from "./paging.js";
import { filterOf, selectionOf } from "./query-options.js";
import { toVersionNames } from "./wire-names.js";

interface Versioned {
  eTag: string;
  lastModified: string;
  url?: string;
}

function metadataUrl(request: BatchRequest, fragment: string): string {
  return `${request.url.origin}/$metadata#${fragment}`;
}

function versionHeaders(entity: Versioned): Record<string, string> {
  return { ETag: entity.eTag, "Last-Modified": new Date(entity.lastModified).toUTCString() };
}

/** `GET` of one entity without validators (a compute node): its JSON in the request's api-version, `$select` applied. */
export function plainEntityResponse(request: BatchRequest, entity: object, entitySet: EntitySet): BatchResponse {
  const selected = selectionOf(request, entitySet)(entity);
  return { status: 200, json: { "odata.metadata": metadataUrl(request, `${entitySet}/@Element`), ...toVersionNames(selected, request.apiVersion) } };
}

/** `GET` of one entity: its JSON in the request's api-version, `$select` applied, ETag headers. */
export function entityResponse(request: BatchRequest, entity: Versioned, entitySet: EntitySet): BatchResponse {
  return { ...plainEntityResponse(request, entity, entitySet), headers: versionHeaders(entity) };
}

/** A list: `$filter`, then a page of `maxresults` with an absolute `odata.nextLink`, then `$select`. */
export function listResponse(request: BatchRequest, items: readonly object[], entitySet: EntitySet): BatchResponse {
  const matches = filterOf(request, entitySet);
  const select = selectionOf(request, entitySet);
  const page = pageOf(items.filter(matches), parsePageRequest(request.url.searchParams), (token) => nextLinkFor(request.url, token));
  const value = page.value.map((item) => toVersionNames(select(item), request.apiVersion));
  const json: Record<string, unknown> = { "odata.metadata": metadataUrl(request, entitySet), value };
  if (page["odata.nextLink"]) json["odata.nextLink"] = page["odata.nextLink"];
  return { status: 200, json };
}

/** 201 for a create, pointing at the new entity. */
export function createdResponse(entity: Versioned): BatchResponse {
  const headers = versionHeaders(entity);
  if (entity.url) Object.assign(headers, { Location: entity.url, DataServiceId: entity.url });
  return { status: 201, headers };
}

/** 200 for an update of an entity (`PATCH`, `PUT`): its new validators and its id. */
export function updatedResponse(entity: Versioned): BatchResponse {
  const headers = versionHeaders(entity);
  if (entity.url) headers.DataServiceId = entity.url;
  return { status: 200, headers };
}

/** 202/200/204 for actions on an entity, with its id when the service gives one. */
export function acceptedResponse(status: 200 | 202 | 204, url?: string): BatchResponse {
  return { status, headers: url ? { DataServiceId: url } : {} };
}
