import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { BatchService } from "../core/backend.js";
import { applyIdleTimeouts, DEFAULT_SERVER_TIMEOUTS, timeoutOptions } from "../server/http/server-timeouts.js";
import { DashboardAccess } from "./dashboard-access.js";
import { Dashboard, type DashboardOptions } from "./dashboard.js";

export interface DashboardServerOptions extends Omit<DashboardOptions, "access"> {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Accepted for sign-in besides the start-up token when not on loopback (the Batch account key). */
  accountKey?: string;
}

/** The dashboard on its own HTTP server (`malachite dashboard`), over any backend's BatchService. */
export class DashboardServer {
  private constructor(
    private readonly server: Server,
    private readonly dashboard: Dashboard,
    /** e.g. `http://127.0.0.1:10200` */
    readonly url: string,
    readonly access: DashboardAccess,
  ) {}

  static async listen(service: BatchService, options: DashboardServerOptions): Promise<DashboardServer> {
    const access = DashboardAccess.forHost(options.host, options.accountKey);
    const dashboard = new Dashboard(service, { ...options, access });
    const server = createServer(timeoutOptions(DEFAULT_SERVER_TIMEOUTS), (req, res) => {
      if (Dashboard.serves((req.url ?? "").split("?")[0] ?? "")) return void dashboard.handle(req, res);
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
    });
    applyIdleTimeouts(server, DEFAULT_SERVER_TIMEOUTS);
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        reject(error.code === "EADDRINUSE" ? new Error(`the dashboard cannot listen on ${options.host}:${options.port}: the port is already in use`) : error),
      );
      server.listen(options.port, options.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const host = options.host.includes(":") ? `[${options.host}]` : options.host;
    return new DashboardServer(server, dashboard, `http://${host}:${port}`, access);
  }

  /** The address to open: with the sign-in token when one is needed. */
  get openUrl(): string {
    return this.access.token ? `${this.url}/?token=${this.access.token}` : `${this.url}/`;
  }

  async close(): Promise<void> {
    this.dashboard.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
