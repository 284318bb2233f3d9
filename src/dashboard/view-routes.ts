import { redactSecrets } from "./redact-secrets.js";
import type { ViewState } from "./view-models.js";
import type { ViewReaders } from "./view-readers.js";

/** A view named by its path: `overview`, `pools/P`, `jobs/J`, `jobs/J/tasks/T`. */
export type ViewTarget =
  { view: "overview" } | { view: "pool"; poolId: string } | { view: "job"; jobId: string } | { view: "task"; jobId: string; taskId: string };

/** The view the path's segments (already decoded) name, or undefined. */
export function viewTarget(segments: string[]): ViewTarget | undefined {
  const [first, id, third, taskId, ...rest] = segments;
  if (rest.length > 0) return undefined;
  if (first === "overview" && id === undefined) return { view: "overview" };
  if (first === "pools" && id && third === undefined) return { view: "pool", poolId: id };
  if (first === "jobs" && id && third === undefined) return { view: "job", jobId: id };
  if (first === "jobs" && id && third === "tasks" && taskId) return { view: "task", jobId: id, taskId };
  return undefined;
}

/** Reads the view from the service, its secrets left out. */
export async function readView(readers: ViewReaders, target: ViewTarget): Promise<ViewState> {
  return redactSecrets(await readUnredacted(readers, target));
}

async function readUnredacted(readers: ViewReaders, target: ViewTarget): Promise<ViewState> {
  switch (target.view) {
    case "overview":
      return { ...(await readers.overview()) };
    case "pool":
      return { ...(await readers.pool(target.poolId)) };
    case "job":
      return { ...(await readers.job(target.jobId)) };
    case "task":
      return { ...(await readers.task(target.jobId, target.taskId)) };
  }
}
