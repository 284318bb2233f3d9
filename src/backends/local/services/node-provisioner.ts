import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { createLogger } from "../../../core/logger.js";
import type { ComputeNodeError, StartTask } from "../../../core/models/index.js";
import { packageNodeError } from "../applications/package-installer.js";
import { LABEL, nodeContainerName, nodeLabels } from "../docker/labels.js";
import { NodeRootFs } from "../files/node-root-fs.js";
import { containerContext, IMAGE_NOT_PRESENT } from "../execution/container-task.js";
import { NODE_DIRECTORIES, NODE_ROOT_DIR, STARTUP_DIR } from "../execution/node-layout.js";
import { taskEnvironment } from "../execution/task-environment.js";
import { FAILURE_EXIT_CODE, type ExecutionOutcome } from "../execution/task-executor.js";
import { resolveTaskUser } from "../execution/task-user.js";
import { isoNow } from "../state/clock.js";
import type { NodeRecord, PoolRecord } from "../state/records.js";
import { entityUrl } from "./entity-urls.js";
import type { LocalContext } from "./local-context.js";
import { NodeAgentLog } from "./node-agent-log.js";
import { NodeUsers } from "./node-users.js";

const log = createLogger("malachite:nodes");

/** The states of a node a restart of Malachite can adopt with its container: it was up. */
const ADOPTABLE_STATES = new Set(["idle", "running", "offline"]);

/** Directories every task user may write to, as on a real node. */
const WORLD_WRITABLE = new Set(["shared", "volatile/pids"]);

function nodeId(sessionId: string, index: number, now: string): string {
  const stamp = now.replace(/[-:]/g, "").replace(/\..*$/, "z").toLowerCase();
  return `tvm-${parseInt(sessionId.slice(0, 8), 16)}_${index}-${stamp}`;
}

/**
 * Brings compute nodes up and down: a node is a container of the node image whose root
 * directory lives on the host. States follow the service: creating → starting →
 * (waitingforstarttask) → idle, or starttaskfailed / unusable.
 */
export class NodeProvisioner {
  /** Aborts start tasks of nodes being removed. */
  private readonly startTaskAborts = new Map<NodeRecord, AbortController>();
  /** What Malachite did to each node (its state changes, and what the node operations add). */
  readonly agentLog: NodeAgentLog;

  constructor(
    private readonly ctx: LocalContext,
    /** Called once a node's container runs, so its health can be watched. */
    private readonly onContainerStarted: (pool: PoolRecord, record: NodeRecord, containerId: string) => void = () => undefined,
    /** Creates the pool's user accounts and the node's users on each new container, before the start task. */
    private readonly users: NodeUsers = new NodeUsers(ctx),
  ) {
    this.agentLog = new NodeAgentLog(ctx.settings.dataDir, ctx.clock);
    ctx.states.node.observe((record, from) => this.agentLog.transition(record, from));
  }

  /** Adds `count` nodes to the pool, dedicated or Spot/low-priority; they come up in the background. */
  grow(pool: PoolRecord, count: number, dedicated = true): Promise<void> {
    const records: NodeRecord[] = [];
    for (let i = 0; i < count; i++) records.push(this.addRecord(pool, dedicated));
    const work = Promise.all(records.map((record) => this.startUp(pool, record))).then(() => undefined);
    this.ctx.background.track(`adding ${count} node(s) to pool ${pool.pool.id}`, work);
    return work;
  }

  private addRecord(pool: PoolRecord, dedicated: boolean): NodeRecord {
    const { settings } = this.ctx;
    const now = isoNow(this.ctx.clock);
    const id = nodeId(settings.sessionId, pool.nextNodeIndex++, now);
    const record: NodeRecord = {
      poolId: pool.pool.id,
      hostRoot: path.join(settings.dataDir, "nodes", pool.pool.id, id),
      running: new Map(),
      usedSlots: 0,
      leaving: false,
      node: {
        id,
        url: entityUrl(settings.accountUrl, "pools", pool.pool.id, "nodes", id),
        state: "creating",
        schedulingState: "enabled",
        stateTransitionTime: now,
        allocationTime: now,
        ipAddress: "127.0.0.1",
        affinityId: `TVM:${id}`,
        vmSize: pool.pool.vmSize,
        totalTasksRun: 0,
        totalTasksSucceeded: 0,
        runningTasksCount: 0,
        runningTaskSlotsCount: 0,
        isDedicated: dedicated,
        startTask: pool.pool.startTask,
        nodeAgentInfo: { version: "malachite", lastUpdateTime: now },
      },
    };
    this.ctx.state.addNode(pool, record);
    this.ctx.usage.started(pool.pool.id, id, pool.pool.vmSize, now, dedicated);
    return record;
  }

  /** The node's directories; on a restart, through NodeRootFs, since tasks may have planted links. */
  private async prepareDirectories(record: NodeRecord): Promise<void> {
    await mkdir(record.hostRoot, { recursive: true });
    const root = new NodeRootFs(record.hostRoot);
    for (const dir of NODE_DIRECTORIES) {
      await root.mkdir(dir);
      await root.chmod(dir, WORLD_WRITABLE.has(dir) ? 0o1777 : 0o755);
    }
  }

  /** Brings the node up, remembering the work so a removal can wait for it. */
  private startUp(pool: PoolRecord, record: NodeRecord): Promise<void> {
    const startup = this.bringUp(pool, record).finally(() => {
      if (record.startup === startup) record.startup = undefined;
    });
    record.startup = startup;
    return startup;
  }

  private async bringUp(pool: PoolRecord, record: NodeRecord): Promise<void> {
    const nodes = this.ctx.states.node;
    try {
      let errors = await this.startContainer(pool, record);
      if (errors.length === 0 && !record.leaving) errors = await this.mountFileSystems(pool, record);
      if (record.leaving) return;
      if (errors.length > 0) {
        log.warn(`node ${record.node.id} is unusable: ${errors.map((e) => e.message).join("; ")}`);
        nodes.transition(record, "unusable", { errors });
        return;
      }
    } catch (error) {
      log.warn(`node ${record.node.id} could not start: ${(error as Error).message}`);
      if (!record.leaving) nodes.transition(record, "unusable", { errors: [{ code: "NodeStartFailed", message: (error as Error).message }] });
      return;
    } finally {
      this.settleAllocation(pool);
    }
    // A user that cannot be made is logged; the tasks that run as it fail as on a node without it.
    await this.users.createOnNewContainer(pool, record);
    if (record.leaving) return;
    const installation = await this.ctx.packages.installForNodeStart(record, pool.pool.applicationPackageReferences);
    if (record.leaving) return;
    if ("problem" in installation) {
      nodes.transition(record, "unusable", { errors: [packageNodeError(installation)] });
      return;
    }
    const startTask = pool.pool.startTask;
    if (startTask !== record.node.startTask) nodes.update(record, { startTask });
    if (!startTask) nodes.ready(record);
    else await this.runStartTask(pool, record, startTask);
    this.ctx.requestScheduling();
  }

  /** The pool's `mountConfiguration` (blob containers, mirrored locally) below the node's `fsmounts`. */
  private async mountFileSystems(pool: PoolRecord, record: NodeRecord): Promise<ComputeNodeError[]> {
    const error = await this.ctx.executor.blobMounts.mount(record.hostRoot, pool.pool.mountConfiguration);
    return error ? [error] : [];
  }

  /** Creates the node's directories and container; resolves with the errors that make it unusable. */
  private async startContainer(pool: PoolRecord, record: NodeRecord): Promise<ComputeNodeError[]> {
    const { settings, runtime } = this.ctx;
    await this.prepareDirectories(record);
    const started = await runtime.startNode({
      name: nodeContainerName(settings.sessionId, pool.pool.id, record.node.id),
      image: settings.image,
      labels: nodeLabels({
        sessionId: settings.sessionId,
        poolId: pool.pool.id,
        nodeId: record.node.id,
        ...(settings.durable ? { dataDir: settings.dataDir } : {}),
      }),
      hostNodeRootDir: record.hostRoot,
      nodeRootDir: NODE_ROOT_DIR,
    });
    if (record.leaving) {
      await runtime.removeNode(started.containerId);
      return [];
    }
    record.containerId = started.containerId;
    this.agentLog.write(record, `container ${started.containerId.slice(0, 12)} started`);
    this.ctx.states.node.transition(record, "starting", { ipAddress: started.ipAddress, lastBootTime: isoNow(this.ctx.clock) });
    this.onContainerStarted(pool, record, started.containerId);
    return this.prefetchImages(pool);
  }

  /**
   * The pool's `containerImageNames`, "pre-fetched" as a node comes up: each must already be on
   * the local engine (Malachite never pulls). A missing one makes the node unusable with the
   * service's ContainerInvalidImage error. Registry credentials play no part locally.
   */
  private async prefetchImages(pool: PoolRecord): Promise<ComputeNodeError[]> {
    const images = pool.pool.virtualMachineConfiguration?.containerConfiguration?.containerImageNames ?? [];
    const errors: ComputeNodeError[] = [];
    for (const image of images) {
      if (await this.ctx.runtime.inspectImage(image)) continue;
      errors.push({
        code: "ContainerInvalidImage",
        message: `One or more container images specified are invalid: ${image}`,
        errorDetails: [
          { name: "ContainerImage", value: image },
          { name: "Message", value: IMAGE_NOT_PRESENT },
        ],
      });
    }
    return errors;
  }

  private async runStartTask(pool: PoolRecord, record: NodeRecord, startTask: StartTask): Promise<void> {
    const nodes = this.ctx.states.node;
    const waitForSuccess = startTask.waitForSuccess ?? true;
    const running = { startTaskInfo: { state: "running", startTime: isoNow(this.ctx.clock), retryCount: 0 } } as const;
    if (waitForSuccess) nodes.transition(record, "waitingforstarttask", running);
    else nodes.ready(record, running);
    if (!waitForSuccess) this.ctx.requestScheduling();
    const user = resolveTaskUser(startTask.userIdentity);
    this.agentLog.write(record, `start task started: ${startTask.commandLine}`);
    const abort = new AbortController();
    this.startTaskAborts.set(record, abort);
    const containerId = record.containerId;
    const outcome = this.ctx.faults.takeStartTaskFailure(pool.pool.id)
      ? injectedExitFailure(isoNow(this.ctx.clock))
      : await this.ctx.executor.execute(
          {
            containerId: record.containerId as string,
            commandLine: startTask.commandLine,
            resourceFiles: startTask.resourceFiles ?? [],
            env: {
              ...this.ctx.packages.poolEnvironment(record),
              ...taskEnvironment({
                node: { accountName: this.ctx.settings.accountName, accountUrl: this.ctx.settings.accountUrl, poolId: pool.pool.id, nodeId: record.node.id },
                user,
                taskDir: path.posix.join(NODE_ROOT_DIR, STARTUP_DIR),
                settings: [startTask.environmentSettings],
              }),
            },
            user,
            maxTaskRetryCount: startTask.maxTaskRetryCount ?? 0,
            hostNodeRoot: record.hostRoot,
            taskDir: STARTUP_DIR,
            container: containerContext({
              sessionId: this.ctx.settings.sessionId,
              pool: pool.pool,
              nodeId: record.node.id,
              task: "startup",
              settings: startTask.containerSettings,
            }),
          },
          abort.signal,
          {
            onRetry: (retryCount, lastRetryTime) => {
              const info = record.node.startTaskInfo;
              if (info) nodes.update(record, { startTaskInfo: { ...info, startTime: lastRetryTime, retryCount, lastRetryTime } });
            },
          },
        );
    this.startTaskAborts.delete(record);
    // A node removed or lost meanwhile has moved on; this outcome belongs to its old container.
    if (record.leaving || record.containerId !== containerId) return;
    const startTaskInfo = {
      state: "completed",
      startTime: outcome.startTime,
      endTime: outcome.endTime,
      exitCode: outcome.exitCode,
      failureInfo: outcome.failureInfo,
      retryCount: outcome.retryCount,
      lastRetryTime: outcome.lastRetryTime,
      result: outcome.result,
    } as const;
    this.agentLog.write(
      record,
      `start task completed: ${outcome.result}, exit code ${outcome.exitCode ?? "none"}${outcome.failureInfo ? ` (${outcome.failureInfo.code})` : ""}`,
    );
    if (waitForSuccess && outcome.result === "success") nodes.ready(record, { startTaskInfo });
    else if (waitForSuccess) nodes.transition(record, "starttaskfailed", { startTaskInfo });
    else nodes.update(record, { startTaskInfo });
  }

  /**
   * Counts the pool's nodes by kind (preempted Spot nodes count, as on the service), and ends a
   * resize (or a stop) once no node is being created and both kinds match their targets. Only
   * the sizing operations (pool-sizing.ts) start one: a steady pool stays steady.
   */
  settleAllocation(pool: PoolRecord): void {
    let dedicated = 0;
    let lowPriority = 0;
    let creating = false;
    for (const node of pool.nodes.values()) {
      if (node.node.isDedicated === false) lowPriority++;
      else dedicated++;
      if (node.node.state === "creating") creating = true;
    }
    const { pool: fields } = pool;
    const counts =
      fields.currentDedicatedNodes !== dedicated || fields.currentLowPriorityNodes !== lowPriority
        ? { currentDedicatedNodes: dedicated, currentLowPriorityNodes: lowPriority }
        : {};
    const settled = !creating && dedicated === fields.targetDedicatedNodes && lowPriority === fields.targetLowPriorityNodes;
    this.ctx.states.pool.allocate(pool, settled ? "steady" : fields.allocationState, counts);
  }

  /** Container tasks stop with their task; this catches any a failed removal may have left behind. */
  private async removeTaskContainers(pool: PoolRecord, record: NodeRecord): Promise<void> {
    const { runtime, settings } = this.ctx;
    try {
      const left = await runtime.listManaged({
        [LABEL.session]: settings.sessionId,
        [LABEL.pool]: pool.pool.id,
        [LABEL.node]: record.node.id,
        [LABEL.task]: undefined,
      });
      await Promise.all(left.map((container) => runtime.removeNode(container.id)));
    } catch (error) {
      log.warn(`could not remove the task containers of node ${record.node.id}: ${(error as Error).message}`);
    }
  }

  /**
   * Brings a node back on a new container, as a reboot does: `rebooting` → `starting` → start
   * task → `idle`. For nodes restored after a restart of Malachite, nodes whose container died,
   * and nodes rebooted, reimaged or started by a node operation (node-control.ts).
   */
  restart(pool: PoolRecord, record: NodeRecord): void {
    this.ctx.usage.started(pool.pool.id, record.node.id, record.node.vmSize ?? pool.pool.vmSize, isoNow(this.ctx.clock), record.node.isDedicated);
    record.containerId = undefined;
    record.running.clear();
    record.usedSlots = 0;
    const counts = { runningTasksCount: 0, runningTaskSlotsCount: 0, errors: undefined };
    const state = record.node.state;
    if (state === "creating" || state === "rebooting" || state === "reimaging" || state === "preempted" || state === "deallocated")
      this.ctx.states.node.update(record, counts);
    else this.ctx.states.node.transition(record, "rebooting", counts);
    this.ctx.background.track(`restarting node ${record.node.id} of pool ${pool.pool.id}`, this.startUp(pool, record));
  }

  /**
   * Takes over a node whose container outlived the previous Malachite process on this data
   * directory (it was killed, not closed): when the container runs and its agent answers, the node
   * keeps its container, its start task's outcome and its boot time, and is idle (offline if its
   * scheduling is disabled). What ran on it was killed by its agent when the dead process's
   * connection dropped; those tasks are requeued (StateRecovery). False: it must reboot instead.
   * Only nodes that were up qualify. The pool's blob mounts are mirrored again, as on a start:
   * what a killed task changed there and never synced is replaced by the containers' contents.
   */
  async adopt(pool: PoolRecord, record: NodeRecord): Promise<boolean> {
    const { runtime } = this.ctx;
    const containerId = record.containerId;
    if (containerId === undefined || !ADOPTABLE_STATES.has(record.node.state)) return false;
    if (!runtime.adoptNode || !(await runtime.adoptNode(containerId).catch(() => false))) return false;
    this.ctx.usage.started(pool.pool.id, record.node.id, record.node.vmSize ?? pool.pool.vmSize, isoNow(this.ctx.clock), record.node.isDedicated);
    record.running.clear();
    record.usedSlots = 0;
    this.agentLog.write(record, `container ${containerId.slice(0, 12)} adopted after a restart of Malachite`);
    const counts = { runningTasksCount: 0, runningTaskSlotsCount: 0 };
    if (record.node.state === "running") this.ctx.states.node.ready(record, counts);
    else this.ctx.states.node.update(record, counts);
    this.onContainerStarted(pool, record, containerId);
    const stillOurs = () => record.containerId === containerId && !record.leaving;
    const mountErrors = await this.mountFileSystems(pool, record);
    if (mountErrors.length > 0) {
      if (stillOurs()) this.ctx.states.node.transition(record, "unusable", { errors: mountErrors });
      return true;
    }
    const installation = await this.ctx.packages.installForNodeStart(record, pool.pool.applicationPackageReferences);
    if ("problem" in installation && stillOurs()) this.ctx.states.node.transition(record, "unusable", { errors: [packageNodeError(installation)] });
    return true;
  }

  /**
   * Stops the node's container (a reboot, reimage or deallocation): its start task is stopped, the
   * container and any task containers left of it are removed; its directory stays. The health
   * watch does not count this as a loss: the node no longer names the container.
   */
  async stopContainer(pool: PoolRecord, record: NodeRecord): Promise<void> {
    const container = record.containerId;
    record.containerId = undefined;
    this.abortStartTask(record);
    if (container) {
      // Already gone (the engine lost it) is as good as removed.
      await this.ctx.runtime
        .removeNode(container)
        .catch((error: unknown) => log.warn(`could not remove the container of node ${record.node.id}: ${(error as Error).message}`));
      this.agentLog.write(record, `container ${container.slice(0, 12)} removed`);
    }
    await this.removeTaskContainers(pool, record);
  }

  /** A reimage: everything below the node's root goes (through NodeRootFs: a link planted by a task is removed, never followed). */
  async wipeDirectory(record: NodeRecord): Promise<void> {
    const root = new NodeRootFs(record.hostRoot);
    for (const entry of await root.readDirectory("").catch(() => [])) await root.remove(entry.name);
    this.agentLog.write(record, "node directory wiped (reimage)");
  }

  /** A deallocated node after a restart of Malachite: it stays deallocated, without a container; one deallocating finishes. */
  settleDeallocated(record: NodeRecord): void {
    record.containerId = undefined;
    record.running.clear();
    record.usedSlots = 0;
    const counts = { runningTasksCount: 0, runningTaskSlotsCount: 0 };
    if (record.pending) this.ctx.states.node.setPending(record, undefined);
    if (record.node.state === "deallocating") this.ctx.states.node.transition(record, "deallocated", counts);
    else this.ctx.states.node.update(record, counts);
  }

  /** Removes what is left of a deleted pool's directories on the host, once its nodes are gone. */
  async removePoolDirectory(pool: PoolRecord): Promise<void> {
    await rm(path.join(this.ctx.settings.dataDir, "nodes", pool.pool.id), { recursive: true, force: true });
    await this.agentLog.removePool(pool.pool.id);
  }

  /** Stops the node's start task, if one runs (its node was lost). */
  abortStartTask(record: NodeRecord): void {
    this.startTaskAborts.get(record)?.abort("requeue");
  }

  /** Marks a node as leaving and stops its start task; nothing new starts on it. */
  stop(record: NodeRecord): void {
    record.leaving = true;
    this.startTaskAborts.get(record)?.abort("delete");
  }

  /** Removes a node: its start task and running tasks are stopped first (see PoolService). */
  async remove(pool: PoolRecord, record: NodeRecord): Promise<void> {
    this.stop(record);
    if (record.node.state !== "leavingpool") this.ctx.states.node.transition(record, "leavingpool");
    // A bring-up in progress makes directories and a container: let it notice it is leaving first.
    await record.startup;
    if (record.containerId) await this.ctx.runtime.removeNode(record.containerId);
    await this.removeTaskContainers(pool, record);
    this.ctx.executor.blobMounts.forget(record.hostRoot);
    await rm(record.hostRoot, { recursive: true, force: true }).catch((error: unknown) =>
      log.warn(`could not remove ${record.hostRoot}: ${(error as Error).message}`),
    );
    await this.agentLog.remove(pool.pool.id, record.node.id);
    this.ctx.state.removeNode(pool, record);
    this.ctx.usage.ended(pool.pool.id, record.node.id, isoNow(this.ctx.clock));
    this.settleAllocation(pool);
  }
}

/** A start task that "exited 1" because a test asked for it (fault-injection.ts): reported as a real one. */
function injectedExitFailure(now: string): ExecutionOutcome {
  return { startTime: now, endTime: now, exitCode: 1, result: "failure", failureInfo: FAILURE_EXIT_CODE, retryCount: 0 };
}
