import { BatchErrors } from "./batch-errors.js";

/**
 * The HTTP conditions of a request (`If-Match`, `If-None-Match`, `If-Modified-Since`,
 * `If-Unmodified-Since`), as the REST API's `*Options` groups carry them. Dates are HTTP dates
 * or ISO 8601 strings; ETags may be quoted, weak (`W/`) or `*`, and lists are comma-separated.
 */
export interface AccessConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
}

/** Options every conditional operation of the backend interface takes. */
export interface ConditionalOptions {
  conditions?: AccessConditions;
}

/** What conditions are checked against: an entity's validators. */
export interface Versioned {
  eTag: string;
  lastModified: string;
}

/** A read whose conditions say the client already has this version: the protocol answers 304. */
export class NotModified extends Error {
  override readonly name = "NotModified";
  constructor(readonly entity: Versioned) {
    super("The entity has not been modified.");
  }
}

function matches(header: string, eTag: string): boolean {
  return header
    .split(",")
    .map((value) => value.trim().replace(/^W\//, ""))
    .some((value) => value === "*" || value === eTag || value === `"${eTag}"`);
}

function seconds(date: string): number {
  return Math.floor(Date.parse(date) / 1000);
}

/**
 * Applies the conditions to an entity, once, where the operation is decided: a failed
 * precondition is 412 `ConditionNotMet`; a read that would return what the client has throws
 * `NotModified` (304), a write in that case is 412.
 */
export function checkAccessConditions(entity: Versioned, conditions: AccessConditions | undefined, kind: "read" | "write"): void {
  if (!conditions) return;
  const { ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince } = conditions;
  if (ifMatch !== undefined && !matches(ifMatch, entity.eTag)) throw BatchErrors.conditionNotMet(412);
  if (ifUnmodifiedSince && seconds(entity.lastModified) > seconds(ifUnmodifiedSince)) throw BatchErrors.conditionNotMet(412);
  const unchanged = () => (kind === "read" ? new NotModified(entity) : BatchErrors.conditionNotMet(412));
  if (ifNoneMatch !== undefined && matches(ifNoneMatch, entity.eTag)) throw unchanged();
  if (ifModifiedSince && seconds(entity.lastModified) <= seconds(ifModifiedSince)) throw unchanged();
}
