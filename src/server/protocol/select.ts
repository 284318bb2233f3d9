/**
 * `$select`: a comma-separated list of top-level REST property names (`id,state,executionInfo`).
 *
 * - Names are case-sensitive REST names ("All property names are case-sensitive", Batch docs,
 *   "Create queries to list Batch resources efficiently"); spaces around them and empty items
 *   (`id,,state,`) are tolerated. `*` selects everything. An absent or blank `$select` selects everything.
 * - A name that is not a plain property name (`executionInfo/exitCode`, `a.b`, `-x`) is a 400
 *   `InvalidQueryParameterValue` naming `$select`.
 * - Unknown names: the same docs say "If an invalid property or operator is specified, a 400 (Bad
 *   Request) error will result". A single entity cannot tell an unknown property from an optional
 *   one that is merely absent, so the caller passes the entity type's `knownProperties`
 *   (entity-sets.ts); then an unknown name, or a known one in another case, is a 400. Without that
 *   list, unknown names are ignored (they simply select nothing).
 * - OData annotations on the entity (`odata.metadata`, any `odata.*` key) are always kept.
 * - Properties come out in the entity's own order, not the order of the `$select` list.
 */
import { invalidQueryParameterValue } from "./odata-filter.js";

const PROPERTY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The longest `$select` accepted, in characters. */
export const MAX_SELECT_LENGTH = 4096;

/**
 * The property names a `$select` asks for, or `undefined` when it selects everything.
 * Throws a 400 BatchError for malformed names, and for unknown ones when `knownProperties` is given.
 */
export function parseSelect(select: string | undefined, knownProperties?: Iterable<string>): readonly string[] | undefined {
  if (select === undefined) return undefined;
  if (select.length > MAX_SELECT_LENGTH) {
    throw invalidQueryParameterValue("$select", `${select.slice(0, MAX_SELECT_LENGTH)}…`, `The select clause is longer than ${MAX_SELECT_LENGTH} characters.`);
  }
  const names = select
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (names.length === 0 || names.includes("*")) return undefined;
  const known = knownProperties ? new Set(knownProperties) : undefined;
  for (const name of names) {
    if (!PROPERTY_NAME.test(name)) {
      throw invalidQueryParameterValue("$select", select, `'${name}' is not a top-level property name.`);
    }
    if (known && !known.has(name)) {
      const sameIgnoringCase = [...known].find((candidate) => candidate.toLowerCase() === name.toLowerCase());
      const hint = sameIgnoringCase ? ` Property names are case-sensitive: did you mean '${sameIgnoringCase}'?` : "";
      throw invalidQueryParameterValue("$select", select, `The property '${name}' does not exist on this resource.${hint}`);
    }
  }
  return [...new Set(names)];
}

/** Keeps only the selected own properties of `entity` (plus `odata.*` annotations); never mutates it. */
export function pickProperties<T extends object>(entity: T, names: readonly string[] | undefined): Partial<T> {
  if (names === undefined) return entity;
  const wanted = new Set(names);
  const result: Partial<T> = {};
  for (const key of Object.keys(entity)) {
    if (wanted.has(key) || key.startsWith("odata.")) {
      // defineProperty, not assignment: a key such as "__proto__" must stay an ordinary property.
      Object.defineProperty(result, key, {
        value: (entity as Record<string, unknown>)[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return result;
}

/**
 * Applies `$select` to one entity. An absent, blank or `*` selection returns the entity itself.
 * See the module comment for `knownProperties`.
 */
export function applySelect<T extends object>(entity: T, select: string | undefined, knownProperties?: Iterable<string>): Partial<T> {
  return pickProperties(entity, parseSelect(select, knownProperties));
}

/** Parses `$select` once (validating it even when the list turns out empty) and returns the projection for every item. */
export function compileSelect(select: string | undefined, knownProperties?: Iterable<string>): <T extends object>(entity: T) => Partial<T> {
  const names = parseSelect(select, knownProperties);
  return (entity) => pickProperties(entity, names);
}
