import type { CloudTask } from "../../../core/models/index.js";
import type { TaskRecord } from "./records.js";

interface Snapshot {
  eTag: string;
  task: Readonly<CloudTask>;
}

/** One frozen copy per task version: every change of a task goes through the task state module, which gives it a new ETag. */
const snapshots = new WeakMap<CloudTask, Snapshot>();

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The task as callers see it: a deeply frozen copy of its current version, made once per version
 * and shared by every read until the task changes. A caller cannot change the stored task through
 * it (it is a copy, and frozen), and it never changes afterwards (the stored task is changed in
 * place; the next version gets a new copy). So a read costs no copy of the whole entity.
 */
export function taskSnapshot(record: TaskRecord): CloudTask {
  const task = record.task;
  const cached = snapshots.get(task);
  if (cached?.eTag === task.eTag) return cached.task;
  const snapshot = deepFreeze(structuredClone(task));
  snapshots.set(task, { eTag: task.eTag, task: snapshot });
  return snapshot;
}
