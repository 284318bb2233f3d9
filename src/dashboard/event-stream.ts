import type { IncomingMessage, ServerResponse } from "node:http";

/** A comment line this often keeps the connection inside the server's idle timeout (120 s) and proxies' own. */
const HEARTBEAT_MS = 20_000;

/** One server-sent events response (text/event-stream): named events with JSON data, until the page leaves. */
export class EventStream {
  private readonly heartbeat: NodeJS.Timeout;
  private readonly closers: (() => void)[] = [];
  closed = false;

  constructor(
    req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" });
    res.write(": malachite dashboard\n\n");
    this.heartbeat = setInterval(() => res.write(": heartbeat\n\n"), HEARTBEAT_MS);
    req.on("close", () => this.close());
  }

  send(event: string, data: unknown): void {
    if (this.closed) return;
    this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Runs `closer` when the stream ends (the page left, or the server ended it). */
  onClose(closer: () => void): void {
    this.closers.push(closer);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.closers.forEach((closer) => closer());
    this.res.end();
  }
}
