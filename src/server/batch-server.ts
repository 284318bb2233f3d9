import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { BatchService } from "../core/backend.js";
import { BatchError } from "../core/batch-error.js";
import { createLogger } from "../core/logger.js";
import { verifySharedKey, type BatchAccountCredentials } from "./auth/shared-key-authenticator.js";
import { addAccountRoutes } from "./handlers/account-handlers.js";
import { addFileRoutes } from "./handlers/file-handlers.js";
import { addJobRoutes } from "./handlers/job-handlers.js";
import { addNodeRoutes } from "./handlers/node-handlers.js";
import { addPoolRoutes } from "./handlers/pool-handlers.js";
import { addTaskRoutes } from "./handlers/task-handlers.js";
import type { BatchResponse } from "./http/batch-request.js";
import { errorResponse } from "./http/error-response.js";
import { readBody } from "./http/read-body.js";
import { Router } from "./http/router.js";
import { writeResponse } from "./http/write-response.js";
import { parseApiVersion } from "./protocol/api-version.js";

const log = createLogger("malachite:server");

export interface BatchServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The account requests are signed for; `false` turns authentication off. */
  account: BatchAccountCredentials | false;
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

  private constructor(
    private readonly server: Server,
    private readonly options: BatchServerOptions,
    /** e.g. `http://127.0.0.1:10100` */
    readonly url: string,
  ) {}

  /** Listens first, so the URL is known before the service behind it starts; requests wait for `serve()`. */
  static async listen(options: BatchServerOptions): Promise<BatchServer> {
    let instance: BatchServer | undefined;
    const server = createServer((req, res) => void instance?.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        reject(error.code === "EADDRINUSE" ? new Error(`the Batch endpoint cannot listen on ${options.host}:${options.port}: the port is already in use`) : error),
      );
      server.listen(options.port, options.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    instance = new BatchServer(server, options, `http://${options.host}:${port}`);
    return instance;
  }

  /** Starts answering with this service. */
  serve(service: BatchService): void {
    this.service = service;
    addPoolRoutes(this.router, service);
    addNodeRoutes(this.router, service);
    addJobRoutes(this.router, service);
    addTaskRoutes(this.router, service);
    addFileRoutes(this.router, service);
    addAccountRoutes(this.router);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const method = req.method ?? "GET";
    const clientRequestId = String(req.headers["return-client-request-id"]).toLowerCase() === "true" ? req.headers["client-request-id"]?.toString() : undefined;
    let response: BatchResponse;
    try {
      response = await this.respond(req, method, requestId);
    } catch (error) {
      response = errorResponse(error, requestId, this.url, log);
    }
    try {
      writeResponse(res, response, { requestId, clientRequestId, method });
    } catch (error) {
      log.warn(`could not answer request ${requestId}: ${(error as Error).message}`);
      res.destroy();
    }
    log.debug(`${method} ${req.url?.split("?")[0]} -> ${response.status}`, { requestId });
  }

  private async respond(req: IncomingMessage, method: string, requestId: string): Promise<BatchResponse> {
    const target = req.url ?? "/";
    const body = await readBody(req);
    if (this.options.account) {
      const result = verifySharedKey({ method, target, headers: req.headers, bodyLength: body.length }, this.options.account);
      if (!result.ok) throw authenticationFailed(result.reason);
    }
    const url = new URL(target, this.url);
    const apiVersion = parseApiVersion(url.searchParams);
    if (!this.service) throw new BatchError(503, "ServerBusy", "The server is starting; try again shortly.");
    const segments = url.pathname.split("/").filter(Boolean);
    const match = this.router.match(method, segments);
    if (match.kind === "not-found") throw new BatchError(404, "ResourceNotFound", `The specified resource does not exist: ${url.pathname}`);
    if (match.kind === "method-not-allowed") {
      throw new BatchError(405, "UnsupportedHttpVerb", `The resource doesn't support the HTTP verb ${method}; it supports ${match.allowed.join(", ")}.`);
    }
    return match.handler({ method, url, params: match.params, headers: req.headers, body, apiVersion, requestId });
  }

  /** Stops listening and closes idle connections. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
