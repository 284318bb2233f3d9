import type { ComputeNodeState, NodeFillType, SchedulingState } from "../../../core/models/index.js";

/** A node as the scheduler sees it. */
export interface SchedulableNode {
  id: string;
  state: ComputeNodeState;
  schedulingState: SchedulingState;
  usedSlots: number;
  leaving: boolean;
  /** A task that must run alone (a job manager with `runExclusive`) runs there. */
  exclusive?: boolean;
  /** A Spot/low-priority node (`isDedicated: false`); dedicated unless said. */
  lowPriority?: boolean;
}

export interface SchedulablePool {
  taskSlotsPerNode: number;
  nodeFillType: NodeFillType;
  nodes: SchedulableNode[];
  /** The pool's enableInterNodeCommunication: multi-instance tasks run only there. */
  interNodeCommunication?: boolean;
}

/** An active task waiting for a node. */
export interface SchedulableTask {
  key: string;
  jobKey: string;
  poolKey: string;
  jobPriority: number;
  jobSequence: number;
  sequence: number;
  requiredSlots: number;
  /** A multi-instance task's numberOfInstances: it needs that many distinct nodes at once. */
  instances?: number;
  /** Runs only on a node running nothing else, and keeps others off it (a job manager's `runExclusive`). */
  runExclusive?: boolean;
  /** Nodes the task may not run on (its job's preparation task failed there). */
  excludedNodeIds?: ReadonlySet<string>;
  /** Runs on dedicated nodes only (a job manager with `allowLowPriorityNode: false`). */
  dedicatedOnly?: boolean;
}

export interface SchedulableJob {
  /** Tasks of the job running now. */
  runningTasks: number;
  /** -1 for no limit. */
  maxParallelTasks: number;
}

export interface Assignment {
  taskKey: string;
  poolKey: string;
  nodeId: string;
  /** A multi-instance task's subtask nodes, one subtask each (`nodeId` is its primary's). */
  subtaskNodeIds?: string[];
}

const READY_STATES: ReadonlySet<ComputeNodeState> = new Set(["idle", "running"]);

/** What besides its slots a task asks of its node. */
export type NodeDemands = Pick<SchedulableTask, "runExclusive" | "excludedNodeIds" | "dedicatedOnly">;

/** Whether any node of the pool could take a one-slot task now: when none can, no task of the pool's jobs needs to be looked at. */
export function canTakeAnyTask(pool: SchedulablePool): boolean {
  return pool.nodes.some((node) => fits(node, 1, pool.taskSlotsPerNode, {}));
}

function fits(node: SchedulableNode, requiredSlots: number, slotsPerNode: number, demands: NodeDemands): boolean {
  const ready = READY_STATES.has(node.state) && node.schedulingState === "enabled" && !node.leaving && node.usedSlots + requiredSlots <= slotsPerNode;
  const kindFits = !(demands.dedicatedOnly && node.lowPriority);
  return ready && kindFits && !node.exclusive && !(demands.runExclusive && node.usedSlots > 0) && !demands.excludedNodeIds?.has(node.id);
}

/** Spread puts the task on the least loaded node, pack on the most loaded node that still fits. */
export function pickNode(pool: SchedulablePool, requiredSlots: number, demands: NodeDemands = {}): SchedulableNode | undefined {
  let best: SchedulableNode | undefined;
  for (const node of pool.nodes) {
    if (!fits(node, requiredSlots, pool.taskSlotsPerNode, demands)) continue;
    if (!best) best = node;
    else if (pool.nodeFillType === "pack" ? node.usedSlots > best.usedSlots : node.usedSlots < best.usedSlots) best = node;
  }
  return best;
}

/**
 * The nodes a multi-instance task runs on: `instances` distinct nodes with a free slot each, the
 * first of them the master (primary). None when the pool cannot host it now: the task then stays
 * active, as the service leaves it when the pool lacks inter-node communication, runs more than
 * one slot per node, or has too few free nodes (articles/batch/batch-mpi.md, "Requirements for
 * multi-instance tasks").
 */
export function pickInstanceNodes(pool: SchedulablePool, instances: number, demands: NodeDemands = {}): SchedulableNode[] | undefined {
  if (!pool.interNodeCommunication || pool.taskSlotsPerNode !== 1) return undefined;
  const free = pool.nodes.filter((node) => fits(node, 1, pool.taskSlotsPerNode, demands));
  return free.length < instances ? undefined : free.slice(0, instances);
}

/**
 * Decides which active tasks start now and where. Jobs of higher priority go first, then older
 * jobs; within a job, tasks run in the order they were added. A task that does not fit anywhere
 * does not block smaller tasks behind it. Pure: the inputs are not changed.
 */
export function planAssignments(
  tasks: readonly SchedulableTask[],
  pools: ReadonlyMap<string, SchedulablePool>,
  jobs: ReadonlyMap<string, SchedulableJob>,
): Assignment[] {
  const poolCopies = new Map([...pools].map(([key, pool]) => [key, { ...pool, nodes: pool.nodes.map((node) => ({ ...node })) }]));
  const running = new Map([...jobs].map(([key, job]) => [key, job.runningTasks]));
  const ordered = [...tasks].sort((a, b) => b.jobPriority - a.jobPriority || a.jobSequence - b.jobSequence || a.sequence - b.sequence);
  const assignments: Assignment[] = [];
  for (const task of ordered) {
    const pool = poolCopies.get(task.poolKey);
    const job = jobs.get(task.jobKey);
    if (!pool || !job) continue;
    if (job.maxParallelTasks >= 0 && (running.get(task.jobKey) ?? 0) >= job.maxParallelTasks) continue;
    if (task.instances !== undefined) {
      const nodes = pickInstanceNodes(pool, task.instances, task);
      if (!nodes) continue;
      for (const node of nodes) node.usedSlots += 1;
      running.set(task.jobKey, (running.get(task.jobKey) ?? 0) + 1);
      assignments.push({ taskKey: task.key, poolKey: task.poolKey, nodeId: nodes[0]!.id, subtaskNodeIds: nodes.slice(1).map((node) => node.id) });
      continue;
    }
    const node = pickNode(pool, task.requiredSlots, task);
    if (!node) continue;
    node.usedSlots += task.requiredSlots;
    if (task.runExclusive) node.exclusive = true;
    running.set(task.jobKey, (running.get(task.jobKey) ?? 0) + 1);
    assignments.push({ taskKey: task.key, poolKey: task.poolKey, nodeId: node.id });
  }
  return assignments;
}
