import type { TaskCounts, TaskCountsResult, TaskState } from "../../../core/models/index.js";
import type { JobRecord, TaskRecord } from "./records.js";

/** Where a task counts in `getTaskCounts`: its state bucket (`preparing` counts as running), and succeeded/failed once completed. */
interface Counted {
  state: TaskState;
  buckets: readonly (keyof TaskCounts)[];
  slots: number;
}

function countedOf(record: TaskRecord): Counted {
  const { state, executionInfo, requiredSlots } = record.task;
  const bucket = state === "preparing" ? "running" : state;
  const buckets: (keyof TaskCounts)[] = [bucket];
  if (state === "completed") buckets.push(executionInfo.result === "success" ? "succeeded" : "failed");
  return { state, buckets, slots: requiredSlots };
}

function emptyCounts(): TaskCounts {
  return { active: 0, running: 0, completed: 0, succeeded: 0, failed: 0 };
}

/**
 * The indexes of one job's tasks, so that a page, a state filter and the counts cost what they
 * return, not the job's size: the tasks in creation order, a set per state, and the counts of
 * `getTaskCounts`. Kept by the store (tasks added, removed) and by the task state module (the
 * only writer of a task's state and result); built from the job's tasks on first use, which is
 * also how it is derived after a restart.
 */
export class JobTaskIndex {
  /** By sequence (creation order). */
  private readonly ordered: TaskRecord[] = [];
  private readonly byState = new Map<TaskState, Set<TaskRecord>>();
  private readonly counted = new Map<TaskRecord, Counted>();
  private readonly taskCounts = emptyCounts();
  private readonly taskSlotCounts = emptyCounts();

  constructor(tasks: Iterable<TaskRecord>) {
    const records = [...tasks].sort((a, b) => a.sequence - b.sequence);
    for (const record of records) this.added(record);
  }

  get size(): number {
    return this.ordered.length;
  }

  added(record: TaskRecord): void {
    if (this.counted.has(record)) return;
    const last = this.ordered.at(-1);
    if (last && last.sequence > record.sequence) this.ordered.splice(this.positionOf(record.sequence), 0, record);
    else this.ordered.push(record);
    this.enter(record, countedOf(record));
  }

  removed(record: TaskRecord): void {
    const counted = this.counted.get(record);
    if (!counted) return;
    this.leave(record, counted);
    const position = this.positionOf(record.sequence);
    if (this.ordered[position] === record) this.ordered.splice(position, 1);
  }

  /** After a change of the task's state, result or slots. */
  changed(record: TaskRecord): void {
    const before = this.counted.get(record);
    if (!before) return;
    const after = countedOf(record);
    if (before.state === after.state && before.slots === after.slots && before.buckets.join() === after.buckets.join()) return;
    this.leave(record, before);
    this.enter(record, after);
  }

  /** The tasks in creation order from the `skip`-th on. */
  *inOrder(skip = 0): Generator<TaskRecord> {
    for (let i = Math.max(0, skip); i < this.ordered.length; i++) yield this.ordered[i]!;
  }

  /** The tasks now in `state` (in the order they entered it): a live view, not a copy. */
  inState(state: TaskState): ReadonlySet<TaskRecord> {
    return this.byState.get(state) ?? new Set();
  }

  counts(): TaskCountsResult {
    return { taskCounts: { ...this.taskCounts }, taskSlotCounts: { ...this.taskSlotCounts } };
  }

  /** Where a task of `sequence` is or would go in `ordered` (binary search). */
  private positionOf(sequence: number): number {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.ordered[middle]!.sequence < sequence) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private enter(record: TaskRecord, counted: Counted): void {
    this.counted.set(record, counted);
    let set = this.byState.get(counted.state);
    if (!set) this.byState.set(counted.state, (set = new Set()));
    set.add(record);
    this.tally(counted, 1);
  }

  private leave(record: TaskRecord, counted: Counted): void {
    this.counted.delete(record);
    this.byState.get(counted.state)?.delete(record);
    this.tally(counted, -1);
  }

  private tally(counted: Counted, sign: 1 | -1): void {
    for (const bucket of counted.buckets) {
      this.taskCounts[bucket] += sign;
      this.taskSlotCounts[bucket] += sign * counted.slots;
    }
  }
}

/** Keyed by the job's task map, which a restored job keeps (journal replay replaces the job record but not its map). */
const indexes = new WeakMap<ReadonlyMap<string, TaskRecord>, JobTaskIndex>();
/** The index each indexed task is in, for the task state module, which knows the task but not its job. */
const indexOfTask = new WeakMap<TaskRecord, JobTaskIndex>();

/** The job's task index, built from its tasks the first time. */
export function taskIndexOf(job: JobRecord): JobTaskIndex {
  let index = indexes.get(job.tasks);
  if (!index) {
    index = new JobTaskIndex(job.tasks.values());
    indexes.set(job.tasks, index);
    for (const record of job.tasks.values()) indexOfTask.set(record, index);
  }
  return index;
}

/** Called by the store after a task joined the job's tasks. */
export function indexTaskAdded(job: JobRecord, record: TaskRecord): void {
  const index = indexes.get(job.tasks);
  if (!index) return;
  index.added(record);
  indexOfTask.set(record, index);
}

/** Called by the store after a task left the job's tasks. */
export function indexTaskRemoved(record: TaskRecord): void {
  indexOfTask.get(record)?.removed(record);
  indexOfTask.delete(record);
}

/** Called by the task state module after it changed a task. */
export function indexTaskChanged(record: TaskRecord): void {
  indexOfTask.get(record)?.changed(record);
}
