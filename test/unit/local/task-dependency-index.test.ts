/** The dependency index on its own: counts, ranges by integer value, overlaps, deletions, reactivation. */
import { describe, expect, it } from "vitest";
import type { CloudJob, CloudTask, TaskDependencies } from "../../../src/core/models/index.js";
import { TaskDependencyIndex } from "../../../src/backends/local/services/task-dependencies.js";
import type { JobRecord, TaskRecord } from "../../../src/backends/local/state/records.js";

function job(): JobRecord {
  return { job: { id: "j", usesTaskDependencies: true } as CloudJob, tasks: new Map(), sequence: 0, nextTaskSequence: 0 };
}

function add(index: TaskDependencyIndex, owner: JobRecord, id: string, dependsOn?: TaskDependencies): TaskRecord {
  const task = { id, state: "active", dependsOn, executionInfo: { retryCount: 0, requeueCount: 0 } } as unknown as CloudTask;
  const record: TaskRecord = { jobId: "j", task, sequence: owner.nextTaskSequence++ };
  owner.tasks.set(id.toLowerCase(), record);
  index.added(owner, record);
  return record;
}

function complete(index: TaskDependencyIndex, owner: JobRecord, record: TaskRecord, action: "satisfy" | "block" = "satisfy"): void {
  record.task.state = "completed";
  index.completed(owner, record, action);
}

describe("the task dependency index", () => {
  it("counts ids case-insensitively and ranges numerically, overlapping ranges each", () => {
    const index = new TaskDependencyIndex();
    const j = job();
    const merge = add(index, j, "merge", {
      taskIds: ["A", "a", "3"],
      taskIdRanges: [
        { start: 1, end: 3 },
        { start: 3, end: 4 },
      ],
    });
    const a = add(index, j, "a");
    const three = add(index, j, "003");
    complete(index, j, a);
    expect(index.isReady(j, merge)).toBe(false);
    complete(index, j, three);
    for (const id of ["1", "2"]) complete(index, j, add(index, j, id));
    expect(index.isReady(j, merge)).toBe(false);
    // "003" counts as 3 for the ranges, but the id "3" is a task of its own and still missing.
    complete(index, j, add(index, j, "4"));
    expect(index.isReady(j, merge)).toBe(false);
    complete(index, j, add(index, j, "3"));
    expect(index.isReady(j, merge)).toBe(true);
  });

  it("a blocked dependency keeps waiting; the first of 4 and 04 to satisfy counts, once", () => {
    const index = new TaskDependencyIndex();
    const j = job();
    const waiting = add(index, j, "w", { taskIdRanges: [{ start: 4, end: 5 }] });
    complete(index, j, add(index, j, "04"), "block");
    complete(index, j, add(index, j, "5"));
    expect(index.isReady(j, waiting)).toBe(false);
    complete(index, j, add(index, j, "4"));
    complete(index, j, add(index, j, "0004"));
    expect(index.isReady(j, waiting)).toBe(true);
  });

  it("builds a job's graph from its tasks on first use, as after a restart", () => {
    const j = job();
    const first = new TaskDependencyIndex();
    const done = add(first, j, "7");
    done.task.state = "completed";
    done.task.executionInfo = { ...done.task.executionInfo, exitCode: 0, result: "success" };
    const failed = add(first, j, "8");
    failed.task.state = "completed";
    failed.task.executionInfo = { ...failed.task.executionInfo, exitCode: 1, result: "failure" };
    const needs7 = add(first, j, "needs-7", { taskIdRanges: [{ start: 7, end: 7 }] });
    const needs8 = add(first, j, "needs-8", { taskIds: ["8"] });
    const rebuilt = new TaskDependencyIndex();
    expect(rebuilt.isReady(j, needs7)).toBe(true);
    expect(rebuilt.isReady(j, needs8)).toBe(false);
  });

  it("forgets a deleted dependent, and takes back a task reactivated after it completed", () => {
    const index = new TaskDependencyIndex();
    const j = job();
    const dependent = add(index, j, "d", { taskIds: ["p"] });
    index.removed(j, dependent);
    j.tasks.delete("d");
    const parent = add(index, j, "p");
    complete(index, j, parent, "block");
    const again = add(index, j, "d", { taskIds: ["p"] });
    expect(index.isReady(j, again)).toBe(false);
    complete(index, j, again, "block");
    again.task.state = "active";
    expect(index.isReady(j, again)).toBe(false);
  });

  it("a range of two billion ids costs nothing to add or to count down", () => {
    const index = new TaskDependencyIndex();
    const j = job();
    for (let i = 1; i <= 1000; i++) complete(index, j, add(index, j, String(i)));
    const started = performance.now();
    const huge = add(index, j, "huge", { taskIdRanges: [{ start: 1, end: 2_000_000_000 }] });
    complete(index, j, add(index, j, "1001"));
    expect(index.isReady(j, huge)).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
