/** Azurite's built-in account and the URLs it is reached at. */

/** Azurite's built-in account (AZT `src/blob/utils/constants.ts`); it is public, not a secret. */
export const AZURITE_ACCOUNT_NAME = "devstoreaccount1";
export const AZURITE_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** Host part of a URL for an address: wildcard binds are reached through loopback, IPv6 is bracketed. */
export function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "[::1]";
  if (host.includes(":") && !host.startsWith("[")) return `[${host}]`;
  return host;
}

/** Path-style account endpoint, e.g. `http://127.0.0.1:10000/devstoreaccount1` (no trailing slash). */
export function azuriteBlobEndpoint(host: string, port: number): string {
  return `http://${urlHost(host)}:${port}/${AZURITE_ACCOUNT_NAME}`;
}
