/**
 * `ocp-range`, the byte range of a file GET: `bytes=start-end` (both inclusive), `bytes=start-`
 * (to the end) or `bytes=-length` (the last `length` bytes). The Batch spec names only the first
 * form (REST docs, File - Get From Task, `ocp-range`: "The format is bytes=startRange-endRange"); the
 * other two are the HTTP forms (RFC 9110 §14.1.2) every Azure range header accepts.
 *
 * Two kinds of bad range, two answers:
 * - a value that is not one range in that syntax (`abc`, `bytes=`, `bytes=1-2,4-5`, `bytes=5-1`,
 *   whose last position is before its first, which RFC 9110 §14.1.1 calls an invalid range-spec)
 *   is 400 `InvalidHeaderValue`, before the file is looked at;
 * - a well-formed range that starts at or past the end of the file (or asks for the last 0 bytes)
 *   is 416 `InvalidRange`, "The range specified is invalid for the current size of the
 *   resource" ("Batch status and error codes"). An end past the file is cut to the file (§14.1.2).
 */
import { BatchErrors } from "../../core/batch-errors.js";

export const OCP_RANGE = "ocp-range";

/** What the header asks for, before the file size is known. */
export type RangeRequest = { kind: "from"; start: number; end?: number } | { kind: "suffix"; length: number };

/** Inclusive byte positions inside the file. */
export interface ByteRange {
  start: number;
  end: number;
}

/** At most 15 digits: every position is a safe integer. */
const RANGE = /^bytes=(?:(\d{1,15})-(\d{1,15})?|-(\d{1,15}))$/i;

/** The range `ocp-range` asks for; undefined without the header. Throws 400 `InvalidHeaderValue` for a malformed one. */
export function parseOcpRange(header: string | string[] | undefined): RangeRequest | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header.join(",") : header).trim();
  const match = RANGE.exec(value);
  const invalid = (reason: string) => BatchErrors.invalidHeaderValue(OCP_RANGE, value, reason);
  if (!match) throw invalid("The range must be one byte range: bytes=start-end, bytes=start- or bytes=-length.");
  const [, start, end, suffix] = match;
  if (suffix !== undefined) return { kind: "suffix", length: Number(suffix) };
  const first = Number(start);
  if (end === undefined) return { kind: "from", start: first };
  const last = Number(end);
  if (last < first) throw invalid(`The range ends (${last}) before it starts (${first}).`);
  return { kind: "from", start: first, end: last };
}

/** The bytes of a file of `size` bytes the range covers. Throws 416 `InvalidRange` when it covers none. */
export function resolveRange(range: RangeRequest, size: number): ByteRange {
  if (range.kind === "suffix") {
    if (range.length === 0 || size === 0) throw BatchErrors.invalidRange(`The file has ${size} bytes; the range asks for the last ${range.length}.`);
    return { start: Math.max(0, size - range.length), end: size - 1 };
  }
  if (range.start >= size) throw BatchErrors.invalidRange(`The file has ${size} bytes; the range starts at byte ${range.start}.`);
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}
