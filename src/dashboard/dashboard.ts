import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import type { BatchService } from "../core/backend.js";
import { BatchError } from "../core/batch-error.js";
import { packageRoot } from "../workflow/package-paths.js";
import { AttemptLog } from "./attempt-log.js";
import { changeFeedOf, type ChangeFeed } from "./change-feed.js";
import { runAction } from "./dashboard-actions.js";
import type { DashboardAccess } from "./dashboard-access.js";
import { PAGE_HEADERS, sendAppPage, sendAsset, sendSignInPage } from "./dashboard-pages.js";
import { EventStream } from "./event-stream.js";
import { fileOwner, listFiles, readFileTail } from "./file-reads.js";
import { serveLiveView } from "./live-view.js";
import { OutputTail } from "./output-tail.js";
import { ViewReaders } from "./view-readers.js";
import { readView, viewTarget, type ViewTarget } from "./view-routes.js";

export interface DashboardOptions {
  access: DashboardAccess;
  /** Where the page's bundle is (default: the package's dist/web, written by `npm run build`). */
  assetsDir?: string;
  /** How often a service without change notifications is read again (ms). */
  pollMs?: number;
  /** Allow terminating tasks and jobs and resizing pools from the page; read-only without. */
  actions?: boolean;
}

/** While a task runs its output grows without a state change: the page's tail is read this often (wall-clock ms). */
const OUTPUT_READ_MS = 1_000;

const SIGN_IN_BODY_BYTES = 4096;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...PAGE_HEADERS, "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof BatchError) sendJson(res, error.statusCode, { code: error.code, message: error.message });
  else sendJson(res, 500, { code: "InternalError", message: (error as Error).message });
}

async function formSecret(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > SIGN_IN_BODY_BYTES) break;
  }
  return new URLSearchParams(body).get("secret") ?? "";
}

/**
 * The live dashboard: the page at `/`, its bundle under `/dashboard/assets/`, and under
 * `/dashboard/api/` each view as JSON (`views/...`) and as server-sent events (`events/...`),
 * and the files of tasks and nodes. A thin reader of the BatchService; it never changes the account.
 */
export class Dashboard {
  private readonly readers: ViewReaders;
  private readonly attempts = new AttemptLog();
  private readonly feed: ChangeFeed;
  private readonly assetsDir: string;
  private readonly streams = new Set<EventStream>();

  constructor(
    private readonly service: BatchService,
    private readonly options: DashboardOptions,
  ) {
    this.readers = new ViewReaders(service, this.attempts);
    this.feed = changeFeedOf(service, options.pollMs);
    this.assetsDir = options.assetsDir ?? path.join(packageRoot(), "dist", "web");
  }

  /** True for the paths the dashboard answers: `/` and everything under `/dashboard/`. */
  static serves(pathname: string): boolean {
    return pathname === "/" || pathname === "/dashboard" || pathname.startsWith("/dashboard/");
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.route(req, res);
    } catch (error) {
      if (!res.headersSent) sendError(res, error);
      else res.destroy();
    }
  }

  /** Ends every live view (the server is closing). */
  close(): void {
    for (const stream of this.streams) stream.close();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://dashboard");
    const method = req.method ?? "GET";
    const { access } = this.options;
    if (url.pathname.startsWith("/dashboard/assets/")) {
      if (method === "GET" && (await sendAsset(res, this.assetsDir, url.pathname.slice("/dashboard/assets/".length)))) return;
      return sendJson(res, 404, { code: "NotFound", message: `no such dashboard file: ${url.pathname}` });
    }
    if (url.pathname === "/dashboard/sign-in" && method === "POST") {
      if (!access.accepts(await formSecret(req))) return sendSignInPage(res, true);
      res.writeHead(303, { ...PAGE_HEADERS, Location: "/", "Set-Cookie": access.signedInCookie() });
      return void res.end();
    }
    const token = url.searchParams.get("token");
    if (url.pathname === "/" && token !== null && access.accepts(token)) {
      // The token leaves the address bar at once: the cookie carries it from now on.
      res.writeHead(303, { ...PAGE_HEADERS, Location: "/", "Set-Cookie": access.signedInCookie() });
      return void res.end();
    }
    if (!access.allows(req)) {
      if (url.pathname.startsWith("/dashboard/api/")) return sendJson(res, 401, { code: "SignInRequired", message: "Sign in to the dashboard first." });
      return sendSignInPage(res, false);
    }
    const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const [, api, kind, ...rest] = segments;
    if (method === "POST" && api === "api" && kind === "actions") return this.act(req, res, rest);
    if (method !== "GET") return sendJson(res, 405, { code: "MethodNotAllowed", message: "The dashboard reads only, except for its actions." });
    if (url.pathname === "/" || url.pathname === "/dashboard" || url.pathname === "/dashboard/") return sendAppPage(res, this.options.actions ?? false);
    const target = viewTarget(rest);
    const owner = fileOwner(rest);
    if (api === "api" && kind === "views" && target) return sendJson(res, 200, await readView(this.readers, target));
    if (api === "api" && kind === "events" && target) return this.stream(req, res, target);
    if (api === "api" && kind === "files" && owner) return sendJson(res, 200, await listFiles(this.service, owner));
    if (api === "api" && kind === "file" && owner) return sendJson(res, 200, await readFileTail(this.service, owner, url.searchParams.get("path") ?? ""));
    sendJson(res, 404, { code: "NotFound", message: `no such dashboard resource: ${url.pathname}` });
  }

  private async act(req: IncomingMessage, res: ServerResponse, segments: string[]): Promise<void> {
    if (!this.options.actions) return sendJson(res, 403, { code: "ActionsDisabled", message: "This dashboard is read-only: start it with actions turned on." });
    if (await runAction(this.service, req, segments)) return sendJson(res, 202, { accepted: true });
    sendJson(res, 404, { code: "NotFound", message: `no such dashboard action: ${segments.join("/")}` });
  }

  private stream(req: IncomingMessage, res: ServerResponse, target: ViewTarget): void {
    const stream = new EventStream(req, res);
    this.streams.add(stream);
    stream.onClose(() => this.streams.delete(stream));
    if (target.view !== "task") return serveLiveView(stream, this.feed, () => readView(this.readers, target));
    const tail = new OutputTail(this.service, target.jobId, target.taskId, (chunk) => stream.send("output", chunk));
    let timer: NodeJS.Timeout | undefined;
    stream.onClose(() => clearInterval(timer));
    serveLiveView(
      stream,
      this.feed,
      () => readView(this.readers, target),
      async (state) => {
        await tail.read();
        const task = Object.values(state.task ?? {})[0] as { state?: string } | undefined;
        const running = task?.state === "running" || task?.state === "preparing";
        if (running) timer ??= setInterval(() => void tail.read(), OUTPUT_READ_MS);
        else {
          clearInterval(timer);
          timer = undefined;
        }
      },
    );
  }
}
