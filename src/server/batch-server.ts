import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { BatchService } from "../core/backend.js";
import type { FaultInjector } from "../core/faults.js";
import { Dashboard } from "../dashboard/dashboard.js";
import { BatchError } from "../core/batch-error.js";
import { createLogger } from "../core/logger.js";
import { verifySharedKey, type BatchAccountCredentials } from "./auth/shared-key-authenticator.js";
import { addAccountRoutes } from "./handlers/account-handlers.js";
import { addApplicationRoutes } from "./handlers/application-handlers.js";
import { addFaultRoutes } from "./handlers/fault-handlers.js";
import { addFileRoutes } from "./handlers/file-handlers.js";
import { addJobRoutes } from "./handlers/job-handlers.js";
import { addJobScheduleRoutes } from "./handlers/job-schedule-handlers.js";
import { addNodeRoutes } from "./handlers/node-handlers.js";
import { addPoolRoutes } from "./handlers/pool-handlers.js";
import { addTaskRoutes } from "./handlers/task-handlers.js";
import type { BatchResponse } from "./http/batch-request.js";
import { answerClientError } from "./http/client-error.js";
import { checkContentMd5 } from "./http/content-md5.js";
import { errorResponse } from "./http/error-response.js";
import { declaredBodyLength, readBody, refuseDeclaredOversize } from "./http/read-body.js";
import { requestUrl } from "./http/request-url.js";
import { Router } from "./http/router.js";
import { unroutedError } from "./http/unrouted.js";
import { applyIdleTimeouts, DEFAULT_SERVER_TIMEOUTS, timeoutOptions, type ServerTimeouts } from "./http/server-timeouts.js";
import { writeResponse } from "./http/write-response.js";
import { parseApiVersion } from "./protocol/api-version.js";

const log = createLogger("malachite:server");

export interface BatchServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The account requests are signed for; `false` turns authentication off. */
  account: BatchAccountCredentials | false;
  /** Limits on slow clients; DEFAULT_SERVER_TIMEOUTS for what is not given. */
  timeouts?: Partial<ServerTimeouts>;
}

function authenticationFailed(reason: string): BatchError {
  return new BatchError(
    403,
    "AuthenticationFailed",
    "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
    [{ key: "AuthenticationErrorDetail", value: reason }],
  );
}

/**
 * The Azure Batch REST endpoint: a thin protocol layer (parse, authenticate, validate,
 * serialize) over a `BatchService`, which holds every bit of Batch behaviour.
 */
export class BatchServer {
  private readonly router = new Router();
  private service?: BatchService;
  private dashboard?: Dashboard;

  private constructor(
    private readonly server: Server,
    private readonly options: BatchServerOptions,
    /** e.g. `http://127.0.0.1:10100` */
    readonly url: string,
  ) {}

  /** Listens first, so the URL is known before the service behind it starts; requests wait for `serve()`. */
  static async listen(options: BatchServerOptions): Promise<BatchServer> {
    // Requests that arrive before listen() resolves find no instance yet and are dropped.
    const ready: { instance?: BatchServer } = {};
    const timeouts = { ...DEFAULT_SERVER_TIMEOUTS, ...options.timeouts };
    const server = createServer(timeoutOptions(timeouts), (req, res) => void ready.instance?.handle(req, res, false));
    applyIdleTimeouts(server, timeouts);
    // `Expect: 100-continue`: the body is asked for only once the request passed the checks that need none.
    server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => void ready.instance?.handle(req, res, true));
    server.on("clientError", (error: Error, socket) => answerClientError(error, socket, ready.instance?.url ?? `http://${options.host}`));
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          error.code === "EADDRINUSE" ? new Error(`the Batch endpoint cannot listen on ${options.host}:${options.port}: the port is already in use`) : error,
        ),
      );
      server.listen(options.port, options.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    ready.instance = new BatchServer(server, options, `http://${options.host}:${port}`);
    return ready.instance;
  }

  /** Starts answering with this service. */
  serve(service: BatchService, options: { faults?: FaultInjector; dashboard?: Dashboard } = {}): void {
    this.service = service;
    this.dashboard = options.dashboard;
    if (options.faults) addFaultRoutes(this.router, options.faults);
    addPoolRoutes(this.router, service);
    addNodeRoutes(this.router, service);
    addJobRoutes(this.router, service);
    addTaskRoutes(this.router, service);
    addJobScheduleRoutes(this.router, service);
    addFileRoutes(this.router, service);
    addAccountRoutes(this.router);
    addApplicationRoutes(this.router, service);
  }

  private async handle(req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): Promise<void> {
    // The dashboard's paths (`/`, `/dashboard/...`) are no Batch resource: it answers them, with its own access rules.
    if (this.dashboard && Dashboard.serves((req.url ?? "").split("?")[0] ?? "")) return this.dashboard.handle(req, res);
    const requestId = randomUUID();
    const method = req.method ?? "GET";
    const clientRequestId = String(req.headers["return-client-request-id"]).toLowerCase() === "true" ? req.headers["client-request-id"]?.toString() : undefined;
    let response: BatchResponse;
    try {
      response = await this.respond(req, res, method, requestId, expectsContinue);
    } catch (error) {
      response = errorResponse(error, requestId, this.url, log);
      // A body over the limit is answered and its connection closed: the rest of it is never read.
      if (response.status === 413) response.closeConnection = true;
    }
    try {
      await writeResponse(res, response, { requestId, clientRequestId, method });
    } catch (error) {
      // A client that leaves during a download is ordinary; anything else is worth a warning.
      const message = `could not answer request ${requestId}: ${(error as Error).message}`;
      if ((error as NodeJS.ErrnoException).code === "ERR_STREAM_PREMATURE_CLOSE") log.debug(message);
      else log.warn(message);
      res.destroy();
    }
    log.debug(`${method} ${req.url?.split("?")[0]} -> ${response.status}`, { requestId });
  }

  /**
   * The checks run cheapest first, and none reads a body it may refuse: the declared length
   * (413 before a byte is read), then the signature, which covers the declared length, so a
   * request with a Content-Length is authenticated before its body is read (a chunked one only
   * after: its signed length is the length received). Then Content-MD5, the api-version, the route.
   */
  private async respond(req: IncomingMessage, res: ServerResponse, method: string, requestId: string, expectsContinue: boolean): Promise<BatchResponse> {
    const target = req.url ?? "/";
    refuseDeclaredOversize(req);
    const declaredLength = declaredBodyLength(req);
    if (declaredLength !== undefined) this.authenticate(req, method, target, declaredLength);
    if (expectsContinue) res.writeContinue();
    const body = await readBody(req);
    if (declaredLength === undefined) this.authenticate(req, method, target, body.length);
    checkContentMd5(req.headers, body);
    const url = requestUrl(target, this.url);
    const apiVersion = parseApiVersion(url.searchParams);
    if (!this.service) throw new BatchError(503, "ServerBusy", "The server is starting; try again shortly.");
    const segments = url.pathname.split("/").filter(Boolean);
    const match = this.router.match(method, segments);
    if (match.kind !== "found") throw unroutedError(method, segments, url.pathname, match);
    return match.handler({ method, url, params: match.params, headers: req.headers, body, apiVersion, requestId });
  }

  private authenticate(req: IncomingMessage, method: string, target: string, bodyLength: number): void {
    if (!this.options.account) return;
    const result = verifySharedKey({ method, target, headers: req.headers, bodyLength }, this.options.account);
    if (!result.ok) throw authenticationFailed(result.reason);
  }

  /** Stops listening and closes idle connections. */
  async close(): Promise<void> {
    this.dashboard?.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
