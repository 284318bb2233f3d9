import type { BatchService } from "../core/backend.js";

/** Tells the dashboard's live views that the account may have changed. */
export interface ChangeFeed {
  /** Calls `listener` after changes; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** How often a service without `watch` (Azure Batch) is read again while a page is open. */
export const DEFAULT_POLL_MS = 5_000;

/**
 * The service's own change notifications when it has them (the local backend's state), else a
 * poll of the service every `pollMs` while anyone listens: each view then reads the service
 * again and sends only what differs. The poll runs on wall-clock time: it paces network reads of
 * a remote service, not the emulated account's time.
 */
export function changeFeedOf(service: BatchService, pollMs = DEFAULT_POLL_MS): ChangeFeed {
  if (service.watch) {
    const watch = service.watch.bind(service);
    return { subscribe: (listener) => watch(listener) };
  }
  const listeners = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;
  return {
    subscribe(listener) {
      listeners.add(listener);
      timer ??= setInterval(() => listeners.forEach((each) => each()), pollMs);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
  };
}
