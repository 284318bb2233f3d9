import type { IncomingHttpHeaders } from "node:http";

/**
 * The Batch SharedKey string-to-sign, and the small set of ways in which the official clients
 * deviate from the documented form. Each dimension below is one known difference; the verifier
 * tries the combinations lazily (most common first) and stops at the first match.
 *
 *   contentLength  "asReceived" | "bodyLength" | "empty" | "zero"
 *     JS @azure/batch ≤12 signs "" for a body-less non-POST and "0" for a body-less POST, whatever
 *     goes on the wire; JS v13 signs Buffer.byteLength(body) when it has no header (chunked);
 *     Python signs the header requests sets. The spec wants the value as sent.
 *   dateLine       "spec" | "dateHeader"
 *     The spec leaves the Date line empty when ocp-date is set; both SDKs simply sign the Date
 *     header if there is one.
 *   path           "asReceived" | "decoded"
 *     url-parse / urlparse keep the path percent-encoded; a client signing an un-encoded path
 *     (e.g. a raw space that the HTTP stack then escapes) signs the decoded form.
 *   queryNames     "asSent" | "lowerCased"
 *     Every SDK keeps names as sent; the Storage spec lower-cases them.
 *   repeatedParams "first" | "joined" | "each"
 *     url-parse (JS ≤12) and parse_qs()[0] (Python) keep the first value; the Storage spec joins
 *     sorted values with ","; JS v13 (URLSearchParams) writes one sorted "name:value" line per value.
 *   emptyParams    "kept" | "dropped"
 *     parse_qs drops parameters with an empty value (Python); JS signs "name:".
 *   ocpHeaders     "prefix" | "contains"
 *     JS takes headers starting with "ocp-"; Python takes any header whose name contains "ocp-".
 * Query values are always URL-decoded ("+" is a space): every SDK signs them decoded.
 */
export const STRING_TO_SIGN_VARIANTS = {
  contentLength: ["asReceived", "bodyLength", "empty", "zero"],
  dateLine: ["spec", "dateHeader"],
  path: ["asReceived", "decoded"],
  queryNames: ["asSent", "lowerCased"],
  repeatedParams: ["first", "joined", "each"],
  emptyParams: ["kept", "dropped"],
  ocpHeaders: ["prefix", "contains"],
} as const;

type Variants = typeof STRING_TO_SIGN_VARIANTS;
export type StringToSignVariant = { [K in keyof Variants]: Variants[K][number] };

/** The variant the documentation describes; tried first. */
export const SPEC_VARIANT: StringToSignVariant = {
  contentLength: "asReceived",
  dateLine: "spec",
  path: "asReceived",
  queryNames: "asSent",
  repeatedParams: "first",
  emptyParams: "kept",
  ocpHeaders: "prefix",
};

export interface CanonicalRequest {
  method: string;
  /** Path plus query as received, origin-form. */
  target: string;
  headers: IncomingHttpHeaders;
  bodyLength: number;
  /** The account name as the client wrote it in the Authorization header. */
  accountName: string;
}

/** All combinations of the variant options, lazily, the spec variant first. */
export function* allVariants(): Generator<StringToSignVariant> {
  const keys = Object.keys(STRING_TO_SIGN_VARIANTS) as (keyof Variants)[];
  const indexes = keys.map(() => 0);
  for (;;) {
    const variant = Object.fromEntries(keys.map((k, i) => [k, STRING_TO_SIGN_VARIANTS[k][indexes[i] ?? 0]]));
    yield variant as StringToSignVariant;
    // The next combination: count up like an odometer, the last option fastest.
    let i = keys.length - 1;
    for (; i >= 0; i--) {
      indexes[i] = (indexes[i] ?? 0) + 1;
      if (indexes[i] !== STRING_TO_SIGN_VARIANTS[keys[i] as keyof Variants].length) break;
      indexes[i] = 0;
    }
    if (i < 0) return;
  }
}

/** Builds strings-to-sign for one request; each part is computed once per option and reused. */
export function stringToSignBuilder(request: CanonicalRequest): (variant: StringToSignVariant) => string {
  const memo = new Map<string, string>();
  const once = (key: string, compute: () => string): string => {
    let value = memo.get(key);
    if (value === undefined) memo.set(key, (value = compute()));
    return value;
  };
  const header = (name: string): string => {
    const value = request.headers[name];
    return (Array.isArray(value) ? value.join(",") : value) ?? "";
  };
  const qIndex = request.target.indexOf("?");
  const rawPath = qIndex < 0 ? request.target : request.target.slice(0, qIndex);
  const rawQuery = qIndex < 0 ? "" : request.target.slice(qIndex + 1);

  return (v) => {
    const standard = once(
      `std:${v.contentLength}:${v.dateLine}`,
      () =>
        [
          request.method.toUpperCase(),
          header("content-encoding"),
          header("content-language"),
          v.contentLength === "asReceived"
            ? header("content-length")
            : v.contentLength === "bodyLength"
              ? String(request.bodyLength)
              : v.contentLength === "zero"
                ? "0"
                : "",
          header("content-md5"),
          header("content-type"),
          v.dateLine === "spec" && header("ocp-date") !== "" ? "" : header("date"),
          header("if-modified-since"),
          header("if-match"),
          header("if-none-match"),
          header("if-unmodified-since"),
          header("range"),
        ].join("\n") + "\n",
    );
    const ocp = once(`ocp:${v.ocpHeaders}`, () =>
      Object.keys(request.headers)
        .map((name) => name.toLowerCase())
        .filter((name) => (v.ocpHeaders === "prefix" ? name.startsWith("ocp-") : name.includes("ocp-")) && header(name) !== "")
        .sort()
        .map((name) => `${name}:${header(name)}\n`)
        .join(""),
    );
    const path = once(`path:${v.path}`, () => (v.path === "decoded" ? decode(rawPath, false) : rawPath) || "/");
    const query = once(`q:${v.queryNames}:${v.repeatedParams}:${v.emptyParams}`, () => canonicalQuery(rawQuery, v));
    return `${standard}${ocp}/${request.accountName}${path}${query}`;
  };
}

function canonicalQuery(rawQuery: string, v: StringToSignVariant): string {
  const params = new Map<string, string[]>();
  for (const pair of rawQuery.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    let name = decode(eq < 0 ? pair : pair.slice(0, eq), true);
    const value = eq < 0 ? "" : decode(pair.slice(eq + 1), true);
    if (v.emptyParams === "dropped" && value === "") continue;
    if (v.queryNames === "lowerCased") name = name.toLowerCase();
    const values = params.get(name);
    if (values) values.push(value);
    else params.set(name, [value]);
  }
  return [...params.keys()]
    .sort()
    .map((name) => {
      const values = params.get(name)!;
      if (v.repeatedParams === "first") return `\n${name}:${values[0]}`;
      const sorted = [...values].sort();
      return v.repeatedParams === "joined" ? `\n${name}:${sorted.join(",")}` : sorted.map((value) => `\n${name}:${value}`).join("");
    })
    .join("");
}

function decode(text: string, plusIsSpace: boolean): string {
  try {
    return decodeURIComponent(plusIsSpace ? text.replace(/\+/g, " ") : text);
  } catch {
    return text;
  }
}
