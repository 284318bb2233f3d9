import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { allVariants, stringToSignBuilder } from "./shared-key-string-to-sign.js";

/** A Batch account the emulator answers for. */
export interface BatchAccountCredentials {
  name: string;
  /** The account key, base64. */
  key: string;
}

export interface IncomingSignedRequest {
  /** "GET", "POST", ... */
  method: string;
  /** The request target exactly as received on the wire: path plus query, percent-encoded, e.g. "/pools?api-version=2022-10-01.16.0&maxresults=10" */
  target: string;
  /** Names lower-cased, as Node gives them. */
  headers: IncomingHttpHeaders;
  /** Bytes of the body actually received. */
  bodyLength: number;
}

/** `reason` goes into the error's AuthenticationErrorDetail; it never contains the key or a computed signature. */
export type AuthResult = { ok: true } | { ok: false; reason: string };

/** How far the request time (`ocp-date`, else `date`) may be from the server's clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** An HMAC-SHA256 digest in base64: 32 bytes, 44 characters. */
const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Verifies `Authorization: SharedKey <account>:<signature>` the way the Batch service does, but
 * leniently: the signature is accepted if it matches any of the string-to-sign variants that the
 * official clients are known to produce (see shared-key-string-to-sign.ts).
 */
export function verifySharedKey(request: IncomingSignedRequest, account: BatchAccountCredentials, now: Date = new Date()): AuthResult {
  const authorization = headerValue(request.headers.authorization).trim();
  if (authorization === "") return fail("The Authorization header is missing.");
  const match = /^(\S+)\s+([^:\s]*):(\S*)$/.exec(authorization);
  if (!match) return fail("The Authorization header is not in the form 'SharedKey <account>:<signature>'.");
  const [, scheme = "", accountName = "", signature = ""] = match;
  if (scheme.toLowerCase() !== "sharedkey") return fail(`The authentication scheme '${scheme}' is not supported; use SharedKey.`);
  if (accountName.toLowerCase() !== account.name.toLowerCase()) {
    return fail(`The account name '${accountName}' in the Authorization header does not match the account '${account.name}'.`);
  }
  if (!SIGNATURE_PATTERN.test(signature)) return fail("The signature in the Authorization header is not a base64 HMAC-SHA256.");

  const dateHeader = headerValue(request.headers["ocp-date"]) !== "" ? "ocp-date" : headerValue(request.headers.date) !== "" ? "date" : undefined;
  if (dateHeader === undefined) return fail("The request has neither an ocp-date nor a Date header.");
  const requestTime = Date.parse(headerValue(request.headers[dateHeader]));
  if (Number.isNaN(requestTime)) return fail(`The ${dateHeader} header is not a valid RFC 1123 date.`);
  if (Math.abs(now.getTime() - requestTime) > MAX_CLOCK_SKEW_MS) {
    return fail(`The ${dateHeader} header is more than 15 minutes away from the server's time (${now.toUTCString()}).`);
  }

  const key = Buffer.from(account.key, "base64");
  const expected = Buffer.from(signature, "base64");
  const build = stringToSignBuilder({ ...request, target: originForm(request.target), accountName });
  const tried = new Set<string>();
  for (const variant of allVariants()) {
    const stringToSign = build(variant);
    if (tried.has(stringToSign)) continue;
    tried.add(stringToSign);
    const computed = createHmac("sha256", key).update(stringToSign, "utf8").digest();
    if (timingSafeEqual(computed, expected)) return { ok: true };
  }
  return fail(
    "The MAC signature found in the HTTP request is not the same as any computed signature. " +
      "Check the account key and that the request was not modified after it was signed.",
  );
}

function fail(reason: string): AuthResult {
  return { ok: false, reason };
}

function headerValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value.join(",") : value) ?? "";
}

/** An absolute-form target (as sent to a proxy) reduced to path plus query. */
function originForm(target: string): string {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
  const rest = absolute ? target.slice(absolute[0].length) : target;
  const hash = rest.indexOf("#");
  const withoutFragment = hash < 0 ? rest : rest.slice(0, hash);
  return withoutFragment.startsWith("/") ? withoutFragment : `/${withoutFragment}`;
}
