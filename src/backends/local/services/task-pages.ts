import type { TaskPage, TaskPageQuery } from "../../../core/backend.js";
import type { CloudTask } from "../../../core/models/index.js";
import { taskIndexOf } from "../state/job-task-index.js";
import type { JobRecord, TaskRecord } from "../state/records.js";
import { taskSnapshot } from "../state/task-snapshot.js";

/** The records a page is read from: all tasks in creation order, from `skip` on when no filter has to be counted; or the tasks in one state. */
function candidates(job: JobRecord, query: TaskPageQuery): { records: Iterable<TaskRecord>; skipped: number } {
  const index = taskIndexOf(job);
  if (query.state !== undefined) return { records: index.inState(query.state), skipped: 0 };
  if (query.matches === undefined) return { records: index.inOrder(query.skip), skipped: query.skip };
  return { records: index.inOrder(), skipped: 0 };
}

/**
 * One page of a job's tasks from its index (job-task-index.ts): an unfiltered page starts at its
 * offset directly; a page filtered on a state reads that state's set only. Only the tasks in
 * the page are copied (task-snapshot.ts, once per version).
 */
export function taskPage(job: JobRecord, query: TaskPageQuery, report: (record: TaskRecord) => CloudTask = taskSnapshot): TaskPage {
  const { records, skipped } = candidates(job, query);
  const value = [];
  let matched = skipped;
  for (const record of records) {
    // The filter only reads the task, so it is given the stored one: no copy of tasks that do not match.
    if (query.matches && !query.matches(record.task)) continue;
    if (matched++ < query.skip) continue;
    if (value.length === query.maxResults) return { value, nextSkip: query.skip + value.length };
    value.push(report(record));
  }
  return { value };
}
