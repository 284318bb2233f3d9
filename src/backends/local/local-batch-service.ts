import type { BatchService } from "../../core/backend.js";
import { LocalFileOperations } from "./files/local-file-operations.js";
import { JobLifecycle } from "./services/job-lifecycle.js";
import { LocalComputeNodeOperations } from "./services/local-compute-node-operations.js";
import type { LocalContext } from "./services/local-context.js";
import { EntityStates } from "./state/entity-states.js";
import { isoNow } from "./state/clock.js";
import { LocalJobOperations } from "./services/local-job-operations.js";
import { JobScheduleRunner } from "./services/job-schedule-runner.js";
import { LocalJobScheduleOperations } from "./services/local-job-schedule-operations.js";
import { NodeControl } from "./services/node-control.js";
import { PoolSizing } from "./services/pool-sizing.js";
import { SpotPreemption } from "./services/spot-preemption.js";
import { LocalPoolOperations } from "./services/local-pool-operations.js";
import { LocalTaskOperations } from "./services/local-task-operations.js";
import { FaultInjection } from "./services/fault-injection.js";
import { FaultRegistry } from "./services/fault-registry.js";
import { NodeHealth } from "./services/node-health.js";
import { NodeProvisioner } from "./services/node-provisioner.js";
import { NodeUsers } from "./services/node-users.js";
import { PoolAutoScale } from "./services/pool-autoscale.js";
import { PoolMetrics } from "./services/pool-metrics.js";
import { StateRecovery } from "./services/state-recovery.js";
import { TaskDispatcher } from "./services/task-dispatcher.js";
import { TaskRetention } from "./services/task-retention.js";
import { JobPreparation } from "./services/job-preparation.js";
import { JobRelease } from "./services/job-release.js";
import { LocalApplicationOperations } from "./services/local-application-operations.js";
import { AutoPools } from "./services/auto-pools.js";

/** The Batch data plane of the local backend: one account's pools, nodes, jobs, tasks and files. */
export class LocalBatchService implements BatchService {
  readonly pool: LocalPoolOperations;
  readonly computeNode: LocalComputeNodeOperations;
  readonly job: LocalJobOperations;
  readonly task: LocalTaskOperations;
  readonly file: LocalFileOperations;
  readonly jobSchedule: LocalJobScheduleOperations;
  readonly application: LocalApplicationOperations;
  private readonly provisioner: NodeProvisioner;
  private readonly context: LocalContext;
  private readonly recovery: StateRecovery;
  private readonly retention: TaskRetention;
  private readonly preparation: JobPreparation;
  private readonly release: JobRelease;
  private readonly autoScale: PoolAutoScale;
  private readonly autoPools: AutoPools;

  private readonly spotPreemption?: SpotPreemption;
  /** Every change of a pool's size (also autoscale's). */
  readonly sizing: PoolSizing;

  /** Faults on demand for users' tests (`POST /malachite/faults`); local only. */
  readonly faults: FaultInjection;

  constructor(ctx: Omit<LocalContext, "requestScheduling" | "states" | "faults">) {
    const states = new EntityStates({ store: ctx.state, clock: ctx.clock });
    const lifecycle = new JobLifecycle(states.job, ctx.clock);
    // The dispatcher and the health watch need the context, and the context calls them back.
    const late: { dispatcher?: TaskDispatcher; health?: NodeHealth } = {};
    const context: LocalContext = { ...ctx, states, faults: new FaultRegistry(), requestScheduling: () => late.dispatcher?.requestScheduling() };
    const users = new NodeUsers(context);
    const provisioner = new NodeProvisioner(context, (pool, node, containerId) => late.health?.watch(pool, node, containerId), users);
    const health = (late.health = new NodeHealth(context, provisioner));
    const preparation = (this.preparation = new JobPreparation(context));
    const release = (this.release = new JobRelease(context, preparation));
    lifecycle.holdCompletion = (job, resume) => release.holdCompletion(job, resume);
    late.dispatcher = new TaskDispatcher(context, lifecycle, health, preparation);
    this.faults = new FaultInjection(context, health);
    this.spotPreemption = ctx.settings.spotPreemption ? new SpotPreemption(context, health, ctx.settings.spotPreemption) : undefined;
    this.spotPreemption?.start();
    this.provisioner = provisioner;
    this.context = context;
    const metrics = new PoolMetrics(context, (job, task) => lifecycle.dependencies.isReady(job, task));
    this.sizing = new PoolSizing(context, provisioner);
    this.autoScale = new PoolAutoScale(context, this.sizing, metrics);
    this.pool = new LocalPoolOperations(context, provisioner, this.sizing, this.autoScale);
    const control = new NodeControl(context, provisioner);
    this.computeNode = new LocalComputeNodeOperations(context, provisioner, users, control);
    const autoPools = (this.autoPools = new AutoPools(context, this.pool, lifecycle));
    this.job = new LocalJobOperations(
      context,
      lifecycle,
      {
        addJobManager: (job, task) => this.task.addJobManager(job, task),
        beforeEnd: (job, reason) => release.beforeEnd(job, reason),
      },
      autoPools,
    );
    this.retention = new TaskRetention(context);
    this.task = new LocalTaskOperations(context, lifecycle, this.retention);
    this.file = new LocalFileOperations(context);
    const runner = new JobScheduleRunner(context, this.job);
    autoPools.follow(this.job, runner);
    this.jobSchedule = new LocalJobScheduleOperations(context, runner, autoPools);
    this.application = new LocalApplicationOperations(context.applications);
    this.recovery = new StateRecovery(context, provisioner, control, lifecycle, this.job);
  }

  /** Calls `listener` after every change of the account's state (see BatchStore.watch). */
  watch(listener: () => void): () => void {
    return this.context.state.watch(listener);
  }

  /** Picks up state restored from disk: nodes come back, running tasks are requeued (see StateRecovery), retention and resize timers are re-armed. */
  async recover(): Promise<void> {
    await this.recovery.recover();
    this.retention.armRestored();
    this.sizing.recover();
    this.autoScale.recover();
    await this.jobSchedule.recover();
    this.autoPools.recover();
  }

  /**
   * Stops every task and start task and removes every node container. Node directories stay on
   * the host for inspection, except those of pools deleted earlier.
   */
  async shutdown(): Promise<void> {
    const { state, background, runtime } = this.context;
    this.retention.stopAll();
    this.spotPreemption?.stop();
    this.sizing.stopAll();
    this.autoScale.stopAll();
    for (const job of state.jobs.values()) for (const task of job.tasks.values()) task.abort?.abort("delete");
    this.preparation.stopAll();
    this.release.stopAll();
    const nodes = [...state.pools.values()].flatMap((pool) => [...pool.nodes.values()]);
    for (const node of nodes) this.provisioner.stop(node);
    await background.drain();
    this.context.usage.endAll(isoNow(this.context.clock));
    await Promise.all(nodes.flatMap((node) => (node.containerId ? [runtime.removeNode(node.containerId)] : [])));
    await this.provisioner.agentLog.flush();
  }
}
