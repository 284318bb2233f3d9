import { BatchError } from "../core/batch-error.js";
import { createLogger } from "../core/logger.js";
import type { ChangeFeed } from "./change-feed.js";
import type { EventStream } from "./event-stream.js";
import { ViewDiffer } from "./view-differ.js";
import type { ViewEnded, ViewState } from "./view-models.js";

const log = createLogger("malachite:dashboard");

/**
 * Keeps one page's view current: the whole view first (`snapshot`), then on every change the
 * feed reports, the view read again and only what differs sent (`diff`). Changes that arrive
 * while a read runs are folded into one more read after it, so a burst of changes costs at most
 * two reads. A view whose entity is gone ends with `ended`; a failed read is reported as `problem`
 * and retried on the next change.
 */
export function serveLiveView(stream: EventStream, feed: ChangeFeed, read: () => Promise<ViewState>, afterRead?: (state: ViewState) => Promise<void>): void {
  const differ = new ViewDiffer();
  let first = true;
  let reading = false;
  let again = false;

  async function refresh(): Promise<void> {
    reading = true;
    do {
      again = false;
      try {
        const state = await read();
        const diff = differ.next(state);
        if (first) stream.send("snapshot", state);
        else if (diff) stream.send("diff", diff);
        first = false;
        await afterRead?.(state);
      } catch (error) {
        if (error instanceof BatchError && error.statusCode === 404) {
          stream.send("ended", { code: error.code, message: error.message } satisfies ViewEnded);
          stream.close();
          return;
        }
        log.debug(`a dashboard view could not be read: ${(error as Error).message}`);
        stream.send("problem", { code: error instanceof BatchError ? error.code : "ReadFailed", message: (error as Error).message } satisfies ViewEnded);
      }
    } while (again && !stream.closed);
    reading = false;
  }

  function changed(): void {
    if (stream.closed) return;
    if (reading) again = true;
    else {
      reading = true;
      // The state module that reported the change is still inside its own update: read after it.
      setImmediate(() => void refresh());
    }
  }

  stream.onClose(feed.subscribe(changed));
  reading = true;
  void refresh();
}
