/**
 * The `$filter` and `$select` of one request to an entity set, checked against the names that set
 * allows (entity-sets.ts), spelled as the request's api-version spells them (`maxTasksPerNode`
 * before 2020-09-01.12.0). Both are compiled before any entity is looked at, so a bad name is a
 * 400 even when the list is empty.
 */
import { queryValue, type BatchRequest } from "../http/batch-request.js";
import { ENTITY_SETS, type EntitySet } from "./entity-sets.js";
import { compileFilter, type FilterPredicate } from "./odata-filter.js";
import { parseSelect, pickProperties } from "./select.js";
import { currentName, versionName } from "./wire-names.js";

export type Projection = <T extends object>(entity: T) => Partial<T>;

/** The request's `$select` as a projection of entities in the current names. */
export function selectionOf(request: BatchRequest, entitySet: EntitySet): Projection {
  const known = ENTITY_SETS[entitySet].selectable.map((name) => versionName(name, request.apiVersion));
  const names = parseSelect(queryValue(request, "$select"), known)?.map((name) => currentName(name, request.apiVersion));
  return (entity) => pickProperties(entity, names);
}

/** The request's `$filter` as a predicate; everything matches without one. */
export function filterOf(request: BatchRequest, entitySet: EntitySet): FilterPredicate {
  const expression = queryValue(request, "$filter");
  return expression ? compileFilter(expression, { properties: ENTITY_SETS[entitySet].filterable }) : () => true;
}
