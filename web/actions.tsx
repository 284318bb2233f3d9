import { useState } from "preact/hooks";

/** True when the server turned the dashboard's actions on (serve --dashboard-actions, dashboard --actions). */
export function actionsEnabled(): boolean {
  return document.querySelector<HTMLMetaElement>('meta[name="malachite-actions"]')?.content === "on";
}

/** Posts an action; resolves to the service's error message when it failed. */
async function act(path: string, body: unknown): Promise<string | undefined> {
  const response = await fetch(`/dashboard/api/actions/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.ok) return undefined;
  const error = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
  return `${error.code ?? response.status}: ${error.message ?? response.statusText}`;
}

/** A button for one action, asking first; the page shows the outcome when the service's state changes. */
export function ActionButton({ label, path, body = {}, question }: { label: string; path: string; body?: unknown; question: string }) {
  const [error, setError] = useState<string>();
  if (!actionsEnabled()) return null;
  const run = () => {
    if (confirm(question)) void act(path, body).then(setError);
  };
  return (
    <span class="action">
      <button onClick={run} data-action={label}>
        {label}
      </button>
      {error && <span class="error"> {error}</span>}
    </span>
  );
}

/** A pool's new dedicated node count. */
export function ResizeForm({ poolId, current }: { poolId: string; current: number }) {
  const [target, setTarget] = useState(current);
  const [error, setError] = useState<string>();
  if (!actionsEnabled()) return null;
  return (
    <form
      class="action"
      onSubmit={(event) => {
        event.preventDefault();
        void act(`pools/${encodeURIComponent(poolId)}/resize`, { targetDedicatedNodes: target }).then(setError);
      }}
    >
      <label>
        Dedicated nodes <input type="number" min={0} value={target} onInput={(event) => setTarget(Number((event.target as HTMLInputElement).value))} />
      </label>{" "}
      <button>Resize</button>
      {error && <span class="error"> {error}</span>}
    </form>
  );
}
