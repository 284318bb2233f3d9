import { useEffect, useState } from "preact/hooks";
import type { OutputChunk, ViewDiff, ViewEnded, ViewState } from "../src/dashboard/view-models.js";

/** A view's state with a diff applied: entities set, ids removed; untouched collections kept. */
export function applyDiff(state: ViewState, diff: ViewDiff): ViewState {
  const next: ViewState = { ...state };
  for (const [collection, entities] of Object.entries(diff.set)) next[collection] = { ...next[collection], ...entities };
  for (const [collection, ids] of Object.entries(diff.removed)) {
    const kept = { ...next[collection] };
    for (const id of ids) delete kept[id];
    next[collection] = kept;
  }
  return next;
}

export interface LiveView<V> {
  view?: V;
  /** The entity is gone (deleted) or was never there. */
  ended?: ViewEnded;
  /** The last read failed; the view stays as it was until the next change. */
  problem?: ViewEnded;
}

/**
 * A view kept current by the server: one EventSource on `/dashboard/api/events/<path>`, whose
 * first event is the whole view and the next ones what changed. No polling: the server sends
 * when the account changes, and the browser reconnects by itself (then gets a fresh snapshot).
 */
export function useLiveView<V>(path: string, onOutput?: (chunk: OutputChunk) => void): LiveView<V> {
  const [live, setLive] = useState<LiveView<V>>({});
  useEffect(() => {
    setLive({});
    let state: ViewState = {};
    const source = new EventSource(`/dashboard/api/events/${path}`);
    source.addEventListener("snapshot", (event) => {
      state = JSON.parse((event as MessageEvent<string>).data) as ViewState;
      setLive({ view: state as V });
    });
    source.addEventListener("diff", (event) => {
      state = applyDiff(state, JSON.parse((event as MessageEvent<string>).data) as ViewDiff);
      setLive({ view: state as V });
    });
    source.addEventListener("problem", (event) => {
      const problem = JSON.parse((event as MessageEvent<string>).data) as ViewEnded;
      setLive((current) => ({ ...current, problem }));
    });
    source.addEventListener("ended", (event) => {
      source.close();
      setLive((current) => ({ ...current, ended: JSON.parse((event as MessageEvent<string>).data) as ViewEnded }));
    });
    if (onOutput) source.addEventListener("output", (event) => onOutput(JSON.parse((event as MessageEvent<string>).data) as OutputChunk));
    return () => source.close();
    // onOutput is read once per path: the task page passes a stable callback.
  }, [path]);
  return live;
}

/** One GET of a dashboard JSON endpoint, again whenever `key` changes (e.g. a task's state). */
export function useJson<T>(url: string | undefined, key: unknown): { data?: T; error?: string } {
  const [result, setResult] = useState<{ data?: T; error?: string }>({});
  useEffect(() => {
    if (!url) return;
    let current = true;
    fetch(url)
      .then(async (response) => {
        const body = (await response.json()) as T & { message?: string };
        if (current) setResult(response.ok ? { data: body } : { error: body.message ?? response.statusText });
      })
      .catch((error: Error) => current && setResult({ error: error.message }));
    return () => {
      current = false;
    };
  }, [url, key]);
  return result;
}
