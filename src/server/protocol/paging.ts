/**
 * Paging of Batch list operations: `maxresults`, an opaque `$skiptoken`, and the absolute
 * `odata.nextLink` that keeps every query parameter of the request.
 *
 * The skip token is base64url of `v1.<offset>.<mac>`, where the MAC is a truncated HMAC-SHA256 of
 * the offset under a fixed key. It is stable across restarts of the emulator (a client may resume
 * paging after one), and a token this module did not issue (garbage, hand-edited) is a 400.
 * It is a consistency check, not a secret: the offset grants nothing.
 */
import { createHmac } from "node:crypto";
import { invalidQueryParameterValue } from "./odata-filter.js";

export const DEFAULT_MAX_RESULTS = 1000;
export const MAX_MAX_RESULTS = 1000;

export interface PageRequest {
  /** Items per page, 1..1000. */
  maxResults: number;
  /** Items to skip: the offset carried by `$skiptoken`, 0 without one. */
  skip: number;
}

export interface Page<T> {
  value: T[];
  "odata.nextLink"?: string;
}

const TOKEN_VERSION = "v1";
const TOKEN_KEY = "malachite/odata-skiptoken/v1";
const MAX_TOKEN_LENGTH = 128;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]+$/;

function mac(offset: number): string {
  return createHmac("sha256", TOKEN_KEY).update(`${TOKEN_VERSION}.${offset}`).digest("base64url").slice(0, 16);
}

/** The opaque `$skiptoken` for resuming a list at `offset`. */
export function encodeSkipToken(offset: number): string {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`invalid skip offset ${offset}`);
  return Buffer.from(`${TOKEN_VERSION}.${offset}.${mac(offset)}`, "utf8").toString("base64url");
}

/** The offset of a `$skiptoken` issued by {@link encodeSkipToken}; a 400 BatchError for any other token. */
export function decodeSkipToken(token: string): number {
  const shown = token.length > MAX_TOKEN_LENGTH ? `${token.slice(0, MAX_TOKEN_LENGTH)}…` : token;
  const reject = (): never => {
    throw invalidQueryParameterValue("$skiptoken", shown, "The skip token is not valid; use the odata.nextLink of the previous page.");
  };
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !TOKEN_SHAPE.test(token)) return reject();
  const parts = Buffer.from(token, "base64url").toString("utf8").split(".");
  if (parts.length !== 3 || parts[0] !== TOKEN_VERSION || !/^(0|[1-9]\d{0,15})$/.test(parts[1]!)) return reject();
  const offset = Number(parts[1]);
  if (!Number.isSafeInteger(offset) || parts[2] !== mac(offset)) return reject();
  // Reject non-canonical spellings too (e.g. trailing base64 bits), so a token has exactly one form.
  if (encodeSkipToken(offset) !== token) return reject();
  return offset;
}

/**
 * `maxresults` (exact, lower-case name as every SDK sends it; 1..1000, default 1000) and
 * `$skiptoken`. For a repeated parameter the first value counts. Bad values give a 400
 * `InvalidQueryParameterValue` naming the parameter.
 */
export function parsePageRequest(query: URLSearchParams): PageRequest {
  let maxResults = DEFAULT_MAX_RESULTS;
  const rawMax = query.get("maxresults");
  if (rawMax !== null) {
    const trimmed = rawMax.trim();
    const value = /^\d{1,7}$/.test(trimmed) ? Number(trimmed) : NaN;
    if (!(value >= 1 && value <= MAX_MAX_RESULTS)) {
      throw invalidQueryParameterValue(
        "maxresults",
        rawMax.length > 64 ? `${rawMax.slice(0, 64)}…` : rawMax,
        `maxresults must be an integer from 1 to ${MAX_MAX_RESULTS}.`,
      );
    }
    maxResults = value;
  }
  const token = query.get("$skiptoken");
  const skip = token === null ? 0 : decodeSkipToken(token);
  return { maxResults, skip };
}

/**
 * One page of `items`. When more items follow, `odata.nextLink` is `nextLink(token)` for the
 * token of the next offset (build it with {@link nextLinkFor}). A skip beyond the end (the list
 * shrank between pages) gives an empty last page.
 */
export function pageOf<T>(items: readonly T[], request: PageRequest, nextLink: (skipToken: string) => string): Page<T> {
  const start = Math.min(request.skip, items.length);
  const end = Math.min(start + request.maxResults, items.length);
  const page: Page<T> = { value: items.slice(start, end) };
  if (end < items.length) page["odata.nextLink"] = nextLink(encodeSkipToken(end));
  return page;
}

function queryKey(segment: string): string {
  const raw = segment.split("=", 1)[0]!;
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return raw;
  }
}

/**
 * The absolute URL of the next page: `requestUrl` (which must be absolute, e.g. built from the
 * Host header) with every query parameter kept exactly as the client encoded it, any existing
 * `$skiptoken` replaced by `skipToken`, and the fragment dropped. Segments repeated verbatim
 * (e.g. an `api-version` a client re-appended to a nextLink) are kept once, so the URL does not
 * grow page after page; repeated names with different values are all kept.
 */
export function nextLinkFor(requestUrl: URL, skipToken: string): string {
  const url = new URL(requestUrl.href);
  url.hash = "";
  const seen = new Set<string>();
  const segments: string[] = [];
  for (const segment of url.search.replace(/^\?/, "").split("&")) {
    if (segment === "" || queryKey(segment) === "$skiptoken" || seen.has(segment)) continue;
    seen.add(segment);
    segments.push(segment);
  }
  segments.push(`$skiptoken=${encodeURIComponent(skipToken)}`);
  url.search = `?${segments.join("&")}`;
  return url.href;
}
