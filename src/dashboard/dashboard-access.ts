import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

const COOKIE = "malachite-dashboard";

/** True for the addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/**
 * Who may open the dashboard. On a loopback address anyone on this machine may, as with the
 * Batch account's own development key. On any other address a visitor signs in once with the
 * account key or the token printed at start-up (or opens the printed URL carrying the token);
 * the browser then holds only the token, in an HttpOnly, SameSite=Strict cookie. The page
 * itself never carries the key, the token or a SAS.
 */
export class DashboardAccess {
  private constructor(
    /** No sign-in needed. */
    readonly open: boolean,
    /** The start-up token; undefined when open. */
    readonly token: string | undefined,
    private readonly accountKey: string | undefined,
  ) {}

  /** Open on loopback; otherwise the account key (when there is one) or a fresh token signs in. */
  static forHost(host: string, accountKey?: string): DashboardAccess {
    return isLoopback(host) ? new DashboardAccess(true, undefined, undefined) : new DashboardAccess(false, randomBytes(24).toString("base64url"), accountKey);
  }

  /** True when the request may see the dashboard. */
  allows(req: IncomingMessage): boolean {
    if (this.open || !this.token) return true;
    const held = cookieValue(req, COOKIE);
    return held !== undefined && sameSecret(held, this.token);
  }

  /** True when `secret` is the token or the account key. */
  accepts(secret: string): boolean {
    if (!this.token) return true;
    return sameSecret(secret, this.token) || (this.accountKey !== undefined && sameSecret(secret, this.accountKey));
  }

  /** The cookie that lets this browser in from now on. */
  signedInCookie(): string {
    return `${COOKIE}=${encodeURIComponent(this.token ?? "")}; Path=/; HttpOnly; SameSite=Strict`;
  }
}
