import { useState } from "preact/hooks";
import type { ComputeNode } from "../src/core/models/index.js";
import type { PoolView } from "../src/dashboard/view-models.js";
import { ResizeForm } from "./actions.js";
import { FileBrowser } from "./file-browser.js";
import { shortTime, seg } from "./format.js";
import { useLiveView } from "./live-view.js";
import { Ended, Problem, Properties, StateBadge } from "./widgets.js";

function NodeCell({ node, slots, picked, pick }: { node: ComputeNode; slots: number; picked: boolean; pick: () => void }) {
  const start = node.startTaskInfo;
  return (
    <button
      class={`node state-${node.state}${picked ? " picked" : ""}`}
      data-node={node.id}
      data-state={node.state}
      onClick={pick}
      title={`${node.id}: ${node.state}`}
    >
      <span class="node-id">{node.id}</span>
      <span class="node-state">{node.state}</span>
      <span class="node-slots">
        {node.runningTaskSlotsCount}/{slots} slots
      </span>
      {start && <span class="node-start">start task: {start.state === "completed" ? `exit ${start.exitCode ?? "?"}` : start.state}</span>}
    </button>
  );
}

/** A pool: its nodes as a grid coloured by state, with slots in use and start-task status; a node's properties and files. */
export function PoolPage({ poolId }: { poolId: string }) {
  const { view, ended, problem } = useLiveView<PoolView>(`pools/${seg(poolId)}`);
  const [pickedId, setPicked] = useState<string>();
  if (ended) return <Ended ended={ended} what={`Pool ${poolId}`} />;
  const pool = view && Object.values(view.pool)[0];
  if (!view || !pool) return <p class="loading">Loading…</p>;
  const nodes = Object.values(view.nodes).sort((a, b) => a.id.localeCompare(b.id));
  const picked = nodes.find((node) => node.id === pickedId);
  return (
    <section data-view="pool">
      <Problem problem={problem} />
      <h1>
        Pool {pool.id} <StateBadge state={pool.state} /> <StateBadge state={pool.allocationState} />
      </h1>
      <p>
        {pool.vmSize}, {pool.currentDedicatedNodes} dedicated / {pool.targetDedicatedNodes} target, {pool.currentLowPriorityNodes} spot /{" "}
        {pool.targetLowPriorityNodes} target, {pool.taskSlotsPerNode} slot(s) per node
      </p>
      {pool.allocationState === "steady" && <ResizeForm poolId={pool.id} current={pool.targetDedicatedNodes} />}
      {pool.resizeErrors?.map((error) => (
        <p class="error" key={error.code}>
          {error.code}: {error.message}
        </p>
      ))}
      <div class="node-grid">
        {nodes.length === 0 ? (
          <p class="empty">No nodes.</p>
        ) : (
          nodes.map((node) => (
            <NodeCell key={node.id} node={node} slots={pool.taskSlotsPerNode} picked={node.id === pickedId} pick={() => setPicked(node.id)} />
          ))
        )}
      </div>
      {picked && (
        <div class="node-detail">
          <h2>Node {picked.id}</h2>
          <Properties
            rows={[
              ["state", picked.state],
              ["scheduling", picked.schedulingState],
              ["IP address", picked.ipAddress],
              ["allocated", shortTime(picked.allocationTime)],
              ["tasks run", picked.totalTasksRun],
              ["tasks succeeded", picked.totalTasksSucceeded],
              [
                "running tasks",
                picked.recentTasks
                  ?.filter((task) => task.taskState === "running")
                  .map((task) => `${task.jobId}/${task.taskId}`)
                  .join(", "),
              ],
              ["start task", picked.startTaskInfo],
              ["errors", picked.errors],
            ]}
          />
          <h3>Files</h3>
          <FileBrowser owner={`pools/${seg(pool.id)}/nodes/${seg(picked.id)}`} version={picked.stateTransitionTime} />
        </div>
      )}
    </section>
  );
}
