/** A server-sent events client for tests: reads a text/event-stream response and hands out its events in order. */
export interface ServerEvent {
  event: string;
  data: unknown;
}

export class EventStreamClient {
  private readonly events: ServerEvent[] = [];
  private waiters: (() => void)[] = [];
  private ended = false;

  private constructor(
    readonly status: number,
    private readonly controller: AbortController,
  ) {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
    const controller = new AbortController();
    const response = await fetch(url, { headers, signal: controller.signal });
    const client = new EventStreamClient(response.status, controller);
    if (response.body && response.headers.get("content-type")?.startsWith("text/event-stream")) void client.read(response.body);
    else client.ended = true;
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) this.events.push({ event, data: JSON.parse(data) });
          this.wake();
        }
      }
    } catch {
      // Aborted by close().
    }
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }

  /** The first event not yet taken that satisfies `match` (events before it are dropped), within `timeoutMs`. */
  async next(match: (event: ServerEvent) => boolean = () => true, timeoutMs = 4000): Promise<ServerEvent> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const index = this.events.findIndex(match);
      if (index >= 0) return this.events.splice(0, index + 1)[index]!;
      if (this.ended) throw new Error("the event stream ended before the event came");
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no such event within ${timeoutMs} ms; received: ${JSON.stringify(this.events).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  get closed(): boolean {
    return this.ended;
  }

  close(): void {
    this.controller.abort();
  }
}
