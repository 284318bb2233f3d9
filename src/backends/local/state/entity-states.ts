import { JobNodeStates } from "./job-node-state.js";
import { JobScheduleStates } from "./job-schedule-state.js";
import { JobStates } from "./job-state.js";
import { NodeStates } from "./node-state.js";
import { PoolStates } from "./pool-state.js";
import { TaskStates } from "./task-state.js";
import type { StateContext } from "./versioning.js";

/** The four state modules over one store and clock: the services' only way to change Batch state. */
export class EntityStates {
  readonly pool: PoolStates;
  readonly node: NodeStates;
  readonly job: JobStates;
  readonly task: TaskStates;
  /** Jobs' preparation and release records per node. */
  readonly jobNode: JobNodeStates;
  readonly jobSchedule: JobScheduleStates;

  constructor(ctx: StateContext) {
    this.pool = new PoolStates(ctx);
    this.node = new NodeStates(ctx);
    this.job = new JobStates(ctx);
    this.task = new TaskStates(ctx);
    this.jobNode = new JobNodeStates(ctx);
    this.jobSchedule = new JobScheduleStates(ctx);
  }
}
