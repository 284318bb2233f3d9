import type { Handler } from "./batch-request.js";
import type { RouteParams } from "./route-params.js";

interface Route {
  method: string;
  pattern: PathPattern;
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
    this.routes.push({ method, pattern: new PathPattern(pattern), handler: handler as Handler });
    return this;
  }

  match(method: string, rawSegments: string[]): RouteMatch {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = route.pattern.match(rawSegments);
      if (!params) continue;
      if (route.method === method) return { kind: "found", handler: route.handler, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: "method-not-allowed", allowed } : { kind: "not-found" };
  }
}

type Part =
  | { kind: "literal"; text: string }
  | { kind: "param"; name: string }
  | { kind: "rest"; name: string }
  /** A segment with parameters inside it: `certificates(thumbprintAlgorithm={a},thumbprint={t})`. */
  | { kind: "template"; regex: RegExp; names: string[] };

/**
 * A path pattern of the router's syntax, matched against a request's raw (still percent-encoded)
 * segments: literal segments case-insensitively, parameters percent-decoded and never empty.
 * Besides whole-segment `{name}` and `{*name}`, a segment may hold parameters among literal text,
 * as the certificate paths do (matched against the decoded segment).
 */
export class PathPattern {
  private readonly parts: Part[];

  constructor(readonly pattern: string) {
    this.parts = pattern.split("/").filter(Boolean).map(compilePart);
  }

  match(raw: string[]): Record<string, string> | undefined {
    const params: Record<string, string> = {};
    for (let i = 0; i < this.parts.length; i++) {
      const part = this.parts[i] as Part;
      if (part.kind === "rest") {
        const rest = raw.slice(i).map(decode);
        if (rest.length === 0 || rest.some((s) => s === undefined || s === "")) return undefined;
        params[part.name] = rest.join("/");
        return params;
      }
      const segment = raw[i];
      if (segment === undefined) return undefined;
      if (part.kind === "literal") {
        if (part.text !== segment.toLowerCase()) return undefined;
        continue;
      }
      const value = decode(segment);
      if (value === undefined || value === "") return undefined;
      if (part.kind === "param") {
        params[part.name] = value;
        continue;
      }
      const found = part.regex.exec(value);
      if (!found) return undefined;
      part.names.forEach((name, index) => (params[name] = found[index + 1] as string));
    }
    return this.parts.length === raw.length ? params : undefined;
  }
}

function compilePart(part: string): Part {
  if (part.startsWith("{*") && part.endsWith("}")) return { kind: "rest", name: part.slice(2, -1) };
  if (/^\{[^{}]+\}$/.test(part)) return { kind: "param", name: part.slice(1, -1) };
  if (!part.includes("{")) return { kind: "literal", text: part.toLowerCase() };
  const names: string[] = [];
  const source = part
    .split(/(\{[^{}]+\})/)
    .map((piece) => {
      if (!/^\{[^{}]+\}$/.test(piece)) return piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(piece.slice(1, -1));
      return "(.+?)";
    })
    .join("");
  return { kind: "template", regex: new RegExp(`^${source}$`, "i"), names };
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
