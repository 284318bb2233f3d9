import { chmod, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { createLogger } from "../../../core/logger.js";
import type { ComputeNodeError, ComputeNodeState, StartTask } from "../../../core/models/index.js";
import { LABEL, nodeContainerName, nodeLabels } from "../docker/labels.js";
import { containerContext, IMAGE_NOT_PRESENT } from "../execution/container-task.js";
import { NODE_DIRECTORIES, NODE_ROOT_DIR, STARTUP_DIR } from "../execution/node-layout.js";
import { taskEnvironment } from "../execution/task-environment.js";
import { resolveTaskUser } from "../execution/task-user.js";
import { newETag, nowIso } from "../state/clock.js";
import type { NodeRecord, PoolRecord } from "../state/records.js";
import { entityUrl } from "./entity-urls.js";
import type { LocalContext } from "./local-context.js";

const log = createLogger("malachite:nodes");

/** Directories every task user may write to, as on a real node. */
const WORLD_WRITABLE = new Set(["shared", "volatile/pids"]);

function setNodeState(record: NodeRecord, state: ComputeNodeState): void {
  if (record.node.state === state) return;
  record.node.state = state;
  record.node.stateTransitionTime = nowIso();
}

function nodeId(sessionId: string, index: number): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "z").toLowerCase();
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

  constructor(private readonly ctx: LocalContext) {}

  /** Adds `count` nodes to the pool; they come up in the background. */
  grow(pool: PoolRecord, count: number): Promise<void> {
    const records: NodeRecord[] = [];
    for (let i = 0; i < count; i++) records.push(this.addRecord(pool));
    const work = Promise.all(records.map((record) => this.bringUp(pool, record))).then(() => undefined);
    this.ctx.background.track(work);
    return work;
  }

  private addRecord(pool: PoolRecord): NodeRecord {
    const { settings } = this.ctx;
    const id = nodeId(settings.sessionId, pool.nextNodeIndex++);
    const now = nowIso();
    const record: NodeRecord = {
      poolId: pool.pool.id,
      hostRoot: path.join(settings.dataDir, "nodes", pool.pool.id, id),
      running: new Set(),
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
        isDedicated: true,
        startTask: pool.pool.startTask,
        nodeAgentInfo: { version: "malachite", lastUpdateTime: now },
      },
    };
    pool.nodes.set(id, record);
    return record;
  }

  private async prepareDirectories(record: NodeRecord): Promise<void> {
    for (const dir of NODE_DIRECTORIES) {
      const target = path.join(record.hostRoot, dir);
      await mkdir(target, { recursive: true });
      await chmod(target, WORLD_WRITABLE.has(dir) ? 0o1777 : 0o755);
    }
  }

  private async bringUp(pool: PoolRecord, record: NodeRecord): Promise<void> {
    const { settings, runtime } = this.ctx;
    try {
      await this.prepareDirectories(record);
      const started = await runtime.startNode({
        name: nodeContainerName(settings.sessionId, pool.pool.id, record.node.id),
        image: settings.image,
        labels: nodeLabels({ sessionId: settings.sessionId, poolId: pool.pool.id, nodeId: record.node.id }),
        hostNodeRootDir: record.hostRoot,
        nodeRootDir: NODE_ROOT_DIR,
      });
      if (record.leaving) {
        await runtime.removeNode(started.containerId);
        return;
      }
      record.containerId = started.containerId;
      record.node.ipAddress = started.ipAddress;
      record.node.lastBootTime = nowIso();
      setNodeState(record, "starting");
      const imageErrors = await this.prefetchImages(pool);
      if (imageErrors.length > 0) {
        log.warn(`node ${record.node.id} is unusable: ${imageErrors.map((e) => e.message).join("; ")}`);
        record.node.errors = imageErrors;
        setNodeState(record, "unusable");
        return;
      }
    } catch (error) {
      log.warn(`node ${record.node.id} could not start: ${(error as Error).message}`);
      record.node.errors = [{ code: "NodeStartFailed", message: (error as Error).message }];
      setNodeState(record, "unusable");
      return;
    } finally {
      this.updateAllocation(pool);
    }
    const startTask = pool.pool.startTask;
    if (!startTask) {
      setNodeState(record, "idle");
    } else {
      await this.runStartTask(pool, record, startTask);
    }
    this.ctx.requestScheduling();
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
    const waitForSuccess = startTask.waitForSuccess ?? true;
    setNodeState(record, waitForSuccess ? "waitingforstarttask" : "idle");
    if (!waitForSuccess) this.ctx.requestScheduling();
    const user = resolveTaskUser(startTask.userIdentity);
    const abort = new AbortController();
    this.startTaskAborts.set(record, abort);
    record.node.startTaskInfo = { state: "running", startTime: nowIso(), retryCount: 0 };
    const outcome = await this.ctx.executor.execute(
      {
        containerId: record.containerId as string,
        commandLine: startTask.commandLine,
        resourceFiles: startTask.resourceFiles ?? [],
        env: taskEnvironment({
          node: { accountName: this.ctx.settings.accountName, accountUrl: this.ctx.settings.accountUrl, poolId: pool.pool.id, nodeId: record.node.id },
          user,
          taskDir: path.posix.join(NODE_ROOT_DIR, STARTUP_DIR),
          settings: [startTask.environmentSettings],
        }),
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
          Object.assign(record.node.startTaskInfo ?? {}, { retryCount, lastRetryTime });
        },
      },
    );
    this.startTaskAborts.delete(record);
    if (record.leaving) return;
    record.node.startTaskInfo = {
      state: "completed",
      startTime: outcome.startTime,
      endTime: outcome.endTime,
      exitCode: outcome.exitCode,
      failureInfo: outcome.failureInfo,
      retryCount: outcome.retryCount,
      lastRetryTime: outcome.lastRetryTime,
      result: outcome.result,
    };
    if (waitForSuccess) setNodeState(record, outcome.result === "success" ? "idle" : "starttaskfailed");
  }

  private updateAllocation(pool: PoolRecord): void {
    const p = pool.pool;
    p.currentDedicatedNodes = pool.nodes.size;
    const creating = [...pool.nodes.values()].some((node) => node.node.state === "creating");
    const allocation = creating || pool.nodes.size !== p.targetDedicatedNodes ? "resizing" : "steady";
    if (p.allocationState !== allocation) {
      p.allocationState = allocation;
      p.allocationStateTransitionTime = nowIso();
    }
    p.eTag = newETag();
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

  /** Marks a node as leaving and stops its start task; nothing new starts on it. */
  stop(record: NodeRecord): void {
    record.leaving = true;
    this.startTaskAborts.get(record)?.abort("delete");
  }

  /** Removes a node: its start task and running tasks are stopped first (see PoolService). */
  async remove(pool: PoolRecord, record: NodeRecord): Promise<void> {
    this.stop(record);
    setNodeState(record, "leavingpool");
    if (record.containerId) await this.ctx.runtime.removeNode(record.containerId);
    await this.removeTaskContainers(pool, record);
    await rm(record.hostRoot, { recursive: true, force: true }).catch((error) =>
      log.warn(`could not remove ${record.hostRoot}: ${(error as Error).message}`),
    );
    pool.nodes.delete(record.node.id);
    this.updateAllocation(pool);
  }
}
