import type { Server, ServerOptions } from "node:http";

/**
 * How long a client may take, so that slow or stalled connections (slowloris: headers a byte at a
 * time; a body that never ends; an answer never read) are closed instead of held forever.
 */
export interface ServerTimeouts {
  /** From the first byte of a request until all its headers have arrived (Node's default: 60 s). */
  headersMs: number;
  /** Until the whole request, body included, has arrived (Node's default: 300 s). A 1 MB body needs far less. */
  requestMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  keepAliveMs: number;
  /** A connection with no traffic either way, e.g. a client that stopped reading its answer. */
  idleMs: number;
  /** How often Node looks for requests past `headersMs` or `requestMs` (Node's default: 30 s). */
  checkIntervalMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = { headersMs: 20_000, requestMs: 60_000, keepAliveMs: 5_000, idleMs: 120_000, checkIntervalMs: 1_000 };

/** The options of `http.createServer` for these timeouts. */
export function timeoutOptions(timeouts: ServerTimeouts): ServerOptions {
  return { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: timeouts.checkIntervalMs };
}

/** The timeouts `http.createServer` takes as properties rather than options. */
export function applyIdleTimeouts(server: Server, timeouts: ServerTimeouts): void {
  server.keepAliveTimeout = timeouts.keepAliveMs;
  server.setTimeout(timeouts.idleMs);
}
