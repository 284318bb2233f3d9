import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { BatchErrors } from "../../core/batch-errors.js";

/** The base64 of a 16-byte digest: 22 characters and `==`. */
const MD5_BASE64 = /^[A-Za-z0-9+/]{21}[AQgw]==$/;

/**
 * Checks the body against `Content-MD5` (RFC 1864: base64 of the MD5 of the body) when the
 * request carries one; without it there is nothing to check. The header is part of what SharedKey
 * signs (shared-key-string-to-sign.ts), so this runs after authentication. A value that is not a
 * base64 MD5 is `InvalidHeaderValue`; a mismatch is `Md5Mismatch` (see BatchErrors.md5Mismatch).
 */
export function checkContentMd5(headers: IncomingHttpHeaders, body: Buffer): void {
  const header = headers["content-md5"];
  if (header === undefined) return;
  const value = (Array.isArray(header) ? header.join(",") : header).trim();
  if (!MD5_BASE64.test(value)) throw BatchErrors.invalidHeaderValue("Content-MD5", value, "Content-MD5 must be the base64 encoding of a 128-bit MD5 digest.");
  const computed = createHash("md5").update(body).digest("base64");
  if (computed !== value) throw BatchErrors.md5Mismatch(value, computed);
}
