import { BatchErrors } from "../../core/batch-errors.js";
import type { BatchRequest } from "../http/batch-request.js";

interface Versioned {
  eTag: string;
  lastModified: string;
}

/** Thrown when a read would return what the client already has: answered 304 with the entity's validators. */
export class NotModified extends Error {
  constructor(readonly entity: Versioned) {
    super("not modified");
  }
}

function matches(header: string | string[] | undefined, eTag: string): boolean {
  const values = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").map((v) => v.trim().replace(/^W\//, ""));
  return values.some((value) => value === "*" || value === eTag || value === `"${eTag}"`);
}

function seconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/**
 * Applies `If-Match`, `If-None-Match`, `If-Modified-Since` and `If-Unmodified-Since`: a read that
 * would return what the client has gets 304; a failed precondition gets 412 `ConditionNotMet`.
 */
export function checkConditions(request: BatchRequest, entity: Versioned, kind: "read" | "write"): void {
  const h = request.headers;
  if (h["if-match"] !== undefined && !matches(h["if-match"], entity.eTag)) throw BatchErrors.conditionNotMet(412);
  const unmodifiedSince = h["if-unmodified-since"];
  if (unmodifiedSince && seconds(entity.lastModified) > Math.floor(Date.parse(unmodifiedSince) / 1000)) throw BatchErrors.conditionNotMet(412);
  const unchanged = () => (kind === "read" ? new NotModified(entity) : BatchErrors.conditionNotMet(412));
  if (h["if-none-match"] !== undefined && matches(h["if-none-match"], entity.eTag)) throw unchanged();
  const modifiedSince = h["if-modified-since"];
  if (modifiedSince && seconds(entity.lastModified) <= Math.floor(Date.parse(modifiedSince) / 1000)) throw unchanged();
}
