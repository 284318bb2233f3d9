/** What replaces a secret in what the page is sent. */
export const REDACTED = "(hidden)";

/** Properties whose values are secrets wherever they appear (container registry passwords). */
const SECRET_PROPERTIES = new Set(["password"]);

/** A URL carrying a SAS (its `sig` parameter) loses its query: the page shows where, never the signature. */
function withoutSas(text: string): string {
  if (!/[?&]sig=/i.test(text) || !URL.canParse(text)) return text;
  const url = new URL(text);
  return `${url.origin}${url.pathname}?${REDACTED}`;
}

/**
 * A copy of an entity for the page with its secrets out: SAS tokens in resource-file and
 * output-file URLs, registry passwords. The page is read by whoever opens the dashboard, who is
 * not given the account's credentials.
 */
export function redactSecrets<T>(value: T): T {
  if (typeof value === "string") return withoutSas(value) as T;
  if (Array.isArray(value)) return value.map(redactSecrets) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, SECRET_PROPERTIES.has(key) && typeof item === "string" ? REDACTED : redactSecrets(item)]),
    ) as T;
  }
  return value;
}
