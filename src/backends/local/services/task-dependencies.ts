import { resolveExitOptions } from "../../../core/exit-options.js";
import type { DependencyAction, TaskIdRange } from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import type { JobRecord, TaskRecord } from "../state/records.js";

/** A task id as a range sees it: only integers count, and leading zeros do not (`4`, `04`, `004` are all 4). */
function integerId(id: string): number | undefined {
  return /^-?\d+$/.test(id) ? Number(id) : undefined;
}

/** One job's dependency graph, as far as it is still waited on. */
class JobDependencies {
  /** Dependency id key → the tasks waiting for it. */
  private readonly byId = new Map<string, Set<TaskRecord>>();
  /** Every range some task waits on; a completion checks each by two comparisons, never by expanding it. */
  private ranges: { range: TaskIdRange; dependent: TaskRecord }[] = [];
  /** Waiting tasks → how many of their dependencies (ids, and integers of ranges) are not yet satisfied. */
  private readonly unsatisfied = new Map<TaskRecord, number>();
  /** Ids (keys) and integer ids that completed with `satisfy`: kept after the task is deleted, as the service keeps them. */
  private readonly satisfiedIds = new Set<string>();
  private readonly satisfiedNumbers = new Set<number>();

  /** Whether an active task still waits; one the graph does not know (reactivated after it completed) joins it first. */
  isWaiting(record: TaskRecord): boolean {
    if (!this.unsatisfied.has(record)) this.addDependent(record);
    return (this.unsatisfied.get(record) ?? 0) > 0;
  }

  /** A task with `dependsOn` joins the graph, counting what it still waits for. */
  addDependent(record: TaskRecord): void {
    const dependsOn = record.task.dependsOn;
    if (!dependsOn) return;
    let count = 0;
    for (const key of new Set((dependsOn.taskIds ?? []).map(idKey))) {
      if (this.satisfiedIds.has(key)) continue;
      count++;
      let dependents = this.byId.get(key);
      if (!dependents) this.byId.set(key, (dependents = new Set()));
      dependents.add(record);
    }
    for (const range of dependsOn.taskIdRanges ?? []) {
      count += range.end - range.start + 1 - this.satisfiedWithin(range);
      this.ranges.push({ range, dependent: record });
    }
    this.unsatisfied.set(record, count);
  }

  /** A task that no longer waits (deleted, or completed without running): it leaves the graph. */
  removeDependent(record: TaskRecord): void {
    if (!this.unsatisfied.delete(record)) return;
    for (const id of record.task.dependsOn?.taskIds ?? []) this.byId.get(idKey(id))?.delete(record);
    if (record.task.dependsOn?.taskIdRanges?.length) this.ranges = this.ranges.filter((entry) => entry.dependent !== record);
  }

  /** A task completed: with `satisfy`, each task waiting for it has one dependency fewer. Costs O(its dependents + ranges). */
  completed(record: TaskRecord, action: DependencyAction): void {
    this.removeDependent(record);
    if (action !== "satisfy") return;
    const key = idKey(record.task.id);
    if (!this.satisfiedIds.has(key)) {
      this.satisfiedIds.add(key);
      for (const dependent of this.byId.get(key) ?? []) this.satisfyOne(dependent);
      this.byId.delete(key);
    }
    const value = integerId(record.task.id);
    // The first of `4`, `04`, `004` to satisfy counts for 4 (batch-task-dependencies.md, "Task ID range").
    if (value === undefined || this.satisfiedNumbers.has(value)) return;
    this.satisfiedNumbers.add(value);
    for (const { range, dependent } of this.ranges) if (value >= range.start && value <= range.end) this.satisfyOne(dependent);
  }

  private satisfyOne(dependent: TaskRecord): void {
    const left = this.unsatisfied.get(dependent);
    if (left !== undefined) this.unsatisfied.set(dependent, left - 1);
  }

  /** How many integers of the range have been satisfied: by the smaller of the range and the satisfied set. */
  private satisfiedWithin(range: TaskIdRange): number {
    const size = range.end - range.start + 1;
    let count = 0;
    if (size <= this.satisfiedNumbers.size) {
      for (let value = range.start; value <= range.end; value++) if (this.satisfiedNumbers.has(value)) count++;
    } else {
      for (const value of this.satisfiedNumbers) if (value >= range.start && value <= range.end) count++;
    }
    return count;
  }
}

/**
 * Which tasks wait for others (REST `dependsOn`; articles/batch/batch-task-dependencies.md). A
 * dependent task stays `active` and is not scheduled until each task it names, and each task
 * whose integer id lies in its ranges, has completed with the dependency action `satisfy`
 * (exit code 0 by default; `exitConditions` may say otherwise). Dependencies on tasks not added
 * yet wait for them; a dependency that completes with `block` keeps its dependents waiting for
 * good ("if any of those tasks fail and exhaust their retry counts, this task will never be
 * scheduled"); tasks that depend on each other in a cycle wait for good too: the service
 * documents no cycle check, and cannot know at an add whether a missing task will come. A
 * satisfied dependency stays satisfied when its task is deleted: the service documents that
 * recreating a deleted dependent after its parent completed runs it at once (Azure/Batch#129,
 * "by design").
 *
 * Event-driven: each job's graph is built once from its tasks (on the first use after a start,
 * so a restart on a durable store rebuilds it from the restored tasks), then kept up to date by
 * the adds, completions and deletions, each costing what it touches, not a scan of the job.
 */
export class TaskDependencyIndex {
  private readonly jobs = new WeakMap<JobRecord, JobDependencies>();

  private of(job: JobRecord): JobDependencies {
    let graph = this.jobs.get(job);
    if (graph) return graph;
    graph = new JobDependencies();
    this.jobs.set(job, graph);
    const tasks = [...job.tasks.values()];
    for (const record of tasks) {
      if (record.task.state !== "completed") continue;
      graph.completed(record, resolveExitOptions(record.task.exitConditions, record.task.executionInfo).dependencyAction);
    }
    for (const record of tasks) if (record.task.state !== "completed") graph.addDependent(record);
    return graph;
  }

  /** False while the task waits for a dependency: the scheduler passes it over. */
  isReady(job: JobRecord, record: TaskRecord): boolean {
    if (!record.task.dependsOn || !job.job.usesTaskDependencies) return true;
    return !this.of(job).isWaiting(record);
  }

  /** A task was added to the job (call after it is in `job.tasks`). */
  added(job: JobRecord, record: TaskRecord): void {
    if (!job.job.usesTaskDependencies) return;
    const existing = this.jobs.get(job);
    if (existing) existing.addDependent(record);
    else this.of(job);
  }

  completed(job: JobRecord, record: TaskRecord, action: DependencyAction): void {
    if (job.job.usesTaskDependencies) this.of(job).completed(record, action);
  }

  removed(job: JobRecord, record: TaskRecord): void {
    if (job.job.usesTaskDependencies) this.jobs.get(job)?.removeDependent(record);
  }
}
