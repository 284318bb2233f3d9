import type { TaskAttempt } from "../src/dashboard/view-models.js";

const LANE = 22;
const LABEL = 250;
const WIDTH = 1100;
const AXIS = 22;
const GAP = 6;

interface Bar extends TaskAttempt {
  taskId: string;
  from: number;
  to: number;
  lane: number;
}

interface NodeRow {
  nodeId: string;
  bars: Bar[];
  lanes: number;
  top: number;
}

/** Runs of one node stacked in lanes, so that runs in different slots at the same time do not overlap. */
function laidOut(nodeId: string, bars: Bar[], top: number): NodeRow {
  const laneEnds: number[] = [];
  for (const bar of bars.sort((a, b) => a.from - b.from || a.taskId.localeCompare(b.taskId))) {
    let lane = laneEnds.findIndex((end) => end <= bar.from);
    if (lane < 0) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = bar.to;
    bar.lane = lane;
  }
  return { nodeId, bars, lanes: Math.max(1, laneEnds.length), top };
}

function outcome(bar: Bar): string {
  if (!bar.end) return "running";
  return bar.result === "failure" || (bar.exitCode ?? 0) !== 0 ? "failure" : "success";
}

/**
 * A Gantt chart of the job's task runs: one row per node, one bar per run (attempt) from its
 * start to its end, or to the latest time seen while it still runs; runs at the same time on one
 * node (its slots) get lanes of their own. Times are the service's own, so the chart is right
 * whatever the browser's clock says.
 */
export function TaskTimeline({ attempts }: { attempts: Record<string, TaskAttempt[]> }) {
  const runs = Object.entries(attempts).flatMap(([taskId, list]) => list.map((run) => ({ ...run, taskId })));
  if (runs.length === 0) return <p class="empty">No task has run yet.</p>;
  const times = runs.flatMap((run) => [Date.parse(run.start), ...(run.end ? [Date.parse(run.end)] : [])]);
  const first = Math.min(...times);
  const last = Math.max(...times, first + 1000);
  const bars: Bar[] = runs.map((run) => ({ ...run, from: Date.parse(run.start), to: run.end ? Date.parse(run.end) : last, lane: 0 }));
  const rows: NodeRow[] = [];
  let top = AXIS;
  for (const nodeId of [...new Set(bars.map((bar) => bar.nodeId))].sort()) {
    const row = laidOut(
      nodeId,
      bars.filter((bar) => bar.nodeId === nodeId),
      top,
    );
    rows.push(row);
    top += row.lanes * LANE + GAP;
  }
  const x = (ms: number) => LABEL + ((ms - first) / (last - first)) * (WIDTH - LABEL - 10);
  return (
    <svg class="timeline" viewBox={`0 0 ${WIDTH} ${top}`} width="100%" role="img" aria-label="task runs per node over time">
      <text x={LABEL} y={14} class="axis">
        {new Date(first).toISOString().slice(11, 19)}
      </text>
      <text x={WIDTH - 10} y={14} class="axis" text-anchor="end">
        {new Date(last).toISOString().slice(11, 19)} (+{Math.round((last - first) / 1000)} s)
      </text>
      {rows.map((row) => (
        <g key={row.nodeId} data-timeline-node={row.nodeId}>
          <text x={4} y={row.top + 15} class="node-label">
            {row.nodeId}
          </text>
          <line x1={4} x2={WIDTH - 10} y1={row.top + row.lanes * LANE + GAP / 2} y2={row.top + row.lanes * LANE + GAP / 2} class="grid" />
          {row.bars.map((bar) => {
            const left = x(bar.from);
            const width = Math.max(3, x(bar.to) - left);
            const y = row.top + bar.lane * LANE + 2;
            return (
              <g key={`${bar.taskId}/${bar.attempt}`}>
                <rect
                  class={`bar bar-${outcome(bar)}`}
                  data-task={bar.taskId}
                  data-attempt={bar.attempt}
                  data-node={bar.nodeId}
                  x={left}
                  y={y}
                  width={width}
                  height={LANE - 4}
                  rx={3}
                >
                  <title>
                    {bar.taskId} attempt {bar.attempt} on {bar.nodeId}: {bar.start} → {bar.end ?? "running"}
                    {bar.exitCode !== undefined ? `, exit ${bar.exitCode}` : ""}
                  </title>
                </rect>
                {width > 8 * bar.taskId.length && (
                  <text x={left + 4} y={y + LANE / 2 + 2} class="bar-label">
                    {bar.taskId}
                    {bar.attempt > 0 ? ` #${bar.attempt}` : ""}
                  </text>
                )}
              </g>
            );
          })}
        </g>
      ))}
    </svg>
  );
}
