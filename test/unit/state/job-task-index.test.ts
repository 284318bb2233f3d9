import { describe, expect, it } from "vitest";
import { JobTaskIndex } from "../../../src/backends/local/state/job-task-index.js";
import type { TaskRecord } from "../../../src/backends/local/state/records.js";
import type { CloudTask, TaskState } from "../../../src/core/models/index.js";

function record(sequence: number, state: TaskState = "active", result?: "success" | "failure", requiredSlots = 1): TaskRecord {
  const task = { id: `t${sequence}`, state, requiredSlots, executionInfo: { retryCount: 0, requeueCount: 0, ...(result ? { result } : {}) } };
  return { jobId: "j", sequence, task: task as unknown as CloudTask };
}

const ids = (records: Iterable<TaskRecord>) => [...records].map((r) => r.task.id);

describe("JobTaskIndex", () => {
  it("orders tasks by sequence whatever order they come in, and pages from an offset", () => {
    const [a, b, c, d] = [record(0), record(1), record(2), record(3)];
    const index = new JobTaskIndex([c, a]);
    index.added(d);
    index.added(b);
    index.added(b);
    expect(ids(index.inOrder())).toEqual(["t0", "t1", "t2", "t3"]);
    expect(ids(index.inOrder(2))).toEqual(["t2", "t3"]);
    index.removed(b);
    index.removed(b);
    expect(ids(index.inOrder(1))).toEqual(["t2", "t3"]);
    expect(index.size).toBe(3);
  });

  it("moves a task between state sets and counts on each change, and forgets a removed one", () => {
    const task = record(0, "active", undefined, 3);
    const other = record(1, "completed", "failure");
    const index = new JobTaskIndex([task, other]);
    expect(index.counts().taskCounts).toEqual({ active: 1, running: 0, completed: 1, succeeded: 0, failed: 1 });
    Object.assign(task.task, { state: "preparing" });
    index.changed(task);
    expect(ids(index.inState("preparing"))).toEqual(["t0"]);
    expect(index.counts()).toEqual({
      taskCounts: { active: 0, running: 1, completed: 1, succeeded: 0, failed: 1 },
      taskSlotCounts: { active: 0, running: 3, completed: 1, succeeded: 0, failed: 1 },
    });
    Object.assign(task.task, { state: "completed", executionInfo: { retryCount: 0, requeueCount: 0, result: "success" } });
    index.changed(task);
    expect(ids(index.inState("preparing"))).toEqual([]);
    expect(ids(index.inState("completed"))).toEqual(["t1", "t0"]);
    expect(index.counts().taskSlotCounts).toEqual({ active: 0, running: 0, completed: 4, succeeded: 3, failed: 1 });
    index.removed(other);
    index.changed(other);
    expect(index.counts().taskCounts).toEqual({ active: 0, running: 0, completed: 1, succeeded: 1, failed: 0 });
  });
});
