import type { CloudTask } from "../../../core/models/index.js";
import { optionalDurationMs } from "../../../core/validation/durations.js";
import { idKey } from "../../../core/validation/ids.js";
import { taskDirectory } from "../execution/node-layout.js";
import { NodeRootFs } from "../files/node-root-fs.js";
import type { Timer } from "../state/clock.js";
import type { JobRecord, TaskRecord } from "../state/records.js";
import type { LocalContext } from "./local-context.js";

/**
 * When a completed task's directory goes: its end plus `constraints.retentionTime` (REST
 * `TaskConstraints.retentionTime`: "The minimum time to retain the Task directory on the Compute
 * Node where it ran, from the time it completes execution. After this time, the Batch service may
 * delete the Task directory and all its contents."). Undefined while the task is not completed or
 * its retention is infinite.
 */
export function filesRemovalTime(task: CloudTask): number | undefined {
  if (task.state !== "completed") return undefined;
  const retentionMs = optionalDurationMs("constraints.retentionTime", task.constraints.retentionTime);
  if (retentionMs === undefined) return undefined;
  return Date.parse(task.executionInfo.endTime ?? task.stateTransitionTime) + retentionMs;
}

/** The task's files are gone for good: its retention time has passed since it completed. */
export function filesExpired(task: CloudTask, now: number): boolean {
  const due = filesRemovalTime(task);
  return due !== undefined && now >= due;
}

/**
 * Enforces `retentionTime` on the backend's clock: once a completed task's retention has passed,
 * its directory on the node is removed (the task itself stays, its files answer
 * `TaskFilesUnavailable`). Derived from the task's journaled fields alone, so a restart re-arms
 * it (`armRestored`); a task leaving `completed` (reactivated) or deleted is disarmed, and one
 * whose retention changed (Task_Update) is re-armed.
 */
export class TaskRetention {
  private readonly timers = new Map<TaskRecord, Timer>();

  constructor(private readonly ctx: LocalContext) {
    ctx.states.task.observe((record) => this.arm(record));
  }

  /** (Re)arms the task's timer for what its state and retention are now; disarms it otherwise. */
  arm(record: TaskRecord): void {
    this.forget(record);
    const due = filesRemovalTime(record.task);
    if (due === undefined) return;
    this.timers.set(
      record,
      this.ctx.clock.setTimer(Math.max(0, due - this.ctx.clock.now()), () => this.removeFiles(record)),
    );
  }

  /** Every completed task of the restored state, after a restart. */
  armRestored(): void {
    for (const job of this.ctx.state.jobs.values()) {
      if (job.job.state !== "deleting") for (const record of job.tasks.values()) this.arm(record);
    }
  }

  /** The task was deleted (its directory with it) or left `completed`. */
  forget(record: TaskRecord): void {
    this.timers.get(record)?.cancel();
    this.timers.delete(record);
  }

  /** The backend shuts down: no directory is removed behind its back. */
  stopAll(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  private removeFiles(record: TaskRecord): void {
    this.timers.delete(record);
    const job = this.ctx.state.jobs.get(idKey(record.jobId));
    // A task deleted meanwhile, on its own or with its job, took its directory with it.
    if (!job || job.job.state === "deleting" || job.tasks.get(idKey(record.task.id)) !== record) return;
    if (!filesExpired(record.task, this.ctx.clock.now())) return;
    const node = this.ctx.state.nodeOfTask(job, record);
    if (!node) return;
    this.ctx.background.track(`removing the files of task ${job.job.id}/${record.task.id} after its retention time`, this.remove(job, record, node.hostRoot));
  }

  private async remove(job: JobRecord, record: TaskRecord, hostRoot: string): Promise<void> {
    await new NodeRootFs(hostRoot).remove(taskDirectory(job.job.id, record.task.id));
  }
}
