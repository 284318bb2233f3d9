import type { Handler } from "./batch-request.js";
import type { RouteParams } from "./route-params.js";

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

export type RouteMatch =
  { kind: "found"; handler: Handler; params: Record<string, string> } | { kind: "method-not-allowed"; allowed: string[] } | { kind: "not-found" };

/**
 * Maps `METHOD /pools/{poolId}/nodes/{nodeId}` patterns to handlers. `{name}` matches one
 * segment, `{*name}` the rest of the path (for file paths, which may contain `/`). A handler's
 * `request.params` is typed from its pattern (`request.params.poolId`).
 */
export class Router {
  private readonly routes: Route[] = [];

  add<const Pattern extends string>(method: string, pattern: Pattern, handler: Handler<RouteParams<Pattern>>): this {
    // The pattern's parameters are exactly the names `match` fills in for this route.
    this.routes.push({ method, segments: pattern.split("/").filter(Boolean), handler: handler as Handler });
    return this;
  }

  match(method: string, rawSegments: string[]): RouteMatch {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, rawSegments);
      if (!params) continue;
      if (route.method === method) return { kind: "found", handler: route.handler, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: "method-not-allowed", allowed } : { kind: "not-found" };
  }
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function matchSegments(pattern: string[], raw: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i] as string;
    if (part.startsWith("{*")) {
      const rest = raw.slice(i).map(decode);
      if (rest.length === 0 || rest.some((s) => s === undefined || s === "")) return undefined;
      params[part.slice(2, -1)] = rest.join("/");
      return params;
    }
    const segment = raw[i];
    if (segment === undefined) return undefined;
    if (part.startsWith("{")) {
      const value = decode(segment);
      if (value === undefined || value === "") return undefined;
      params[part.slice(1, -1)] = value;
    } else if (part.toLowerCase() !== segment.toLowerCase()) {
      return undefined;
    }
  }
  return pattern.length === raw.length ? params : undefined;
}
