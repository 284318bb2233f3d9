/**
 * A bare TCP connection to an HTTP server, for requests no HTTP client sends: headers without the
 * body they announce, a body that never ends, bytes trickled one at a time.
 */
import { connect, type Socket } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class RawConnection {
  private received = Buffer.alloc(0);
  private closed = false;
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    socket.on("error", () => undefined); // a reset is one way of being closed
  }

  static open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => resolve(new RawConnection(socket)));
      socket.once("error", reject);
    });
  }

  /** Writes unless the server already closed the connection; true when written. */
  write(data: string | Buffer): boolean {
    if (this.closed || this.socket.destroyed) return false;
    this.socket.write(data);
    return true;
  }

  /** Everything received so far, as text. */
  get text(): string {
    return this.received.toString("latin1");
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves true once the server closed the connection, false after `timeoutMs`. */
  async closedWithin(timeoutMs: number): Promise<boolean> {
    return this.until(() => this.closed, timeoutMs);
  }

  /** The first complete response with a Content-Length (skipping any `100 Continue`), or undefined after `timeoutMs`. */
  async response(timeoutMs = 2000): Promise<RawResponse | undefined> {
    let parsed: RawResponse | undefined;
    await this.until(() => (parsed = parseResponse(this.text)) !== undefined || this.closed, timeoutMs);
    return parsed ?? parseResponse(this.text);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
  }

  private until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!condition()) return;
        finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (result: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(result);
      };
      this.waiters.add(check);
    });
  }
}

function parseResponse(text: string): RawResponse | undefined {
  const withoutContinue = text.replace(/^HTTP\/1\.1 100 [^\r]*\r\n\r\n/, "");
  const end = withoutContinue.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const [statusLine = "", ...lines] = withoutContinue.slice(0, end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = withoutContinue.slice(end + 4);
  if (body.length < Number(headers["content-length"] ?? 0)) return undefined;
  return { status: Number(statusLine.split(" ")[1]), headers, body };
}
