import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Serves fixed files over HTTP on an ephemeral port, for resource files that need no blob service. */
export class HttpFileServer {
  private constructor(
    private readonly server: Server,
    /** e.g. `http://127.0.0.1:43117` */
    readonly url: string,
  ) {}

  /** `files` maps paths (`/container/name.txt`) to contents; anything else is 404. */
  static async start(files: Record<string, string>): Promise<HttpFileServer> {
    const server = createServer((req, res) => {
      const content = files[new URL(req.url ?? "/", "http://localhost").pathname];
      res.writeHead(content === undefined ? 404 : 200, { "content-type": "application/octet-stream" });
      res.end(content);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return new HttpFileServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
