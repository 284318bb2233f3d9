import type { TaskAttempt } from "../src/dashboard/view-models.js";

const ROW = 28;
const LABEL = 120;
const WIDTH = 900;
const AXIS = 22;

interface Bar extends TaskAttempt {
  taskId: string;
}

/**
 * A Gantt chart of the job's task runs: one row per node, one bar per run (attempt) from its
 * start to its end, or to the latest time seen while it still runs. Times are the service's own,
 * so the chart is right whatever the browser's clock says.
 */
export function TaskTimeline({ attempts }: { attempts: Record<string, TaskAttempt[]> }) {
  const bars: Bar[] = Object.entries(attempts).flatMap(([taskId, runs]) => runs.map((run) => ({ ...run, taskId })));
  if (bars.length === 0) return <p class="empty">No task has run yet.</p>;
  const nodes = [...new Set(bars.map((bar) => bar.nodeId))].sort();
  const times = bars.flatMap((bar) => [Date.parse(bar.start), ...(bar.end ? [Date.parse(bar.end)] : [])]);
  const first = Math.min(...times);
  const last = Math.max(...times, first + 1000);
  const x = (ms: number) => LABEL + ((ms - first) / (last - first)) * (WIDTH - LABEL - 10);
  const height = AXIS + nodes.length * ROW;
  return (
    <svg class="timeline" viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label="task runs per node over time">
      <text x={LABEL} y={14} class="axis">
        {new Date(first).toISOString().slice(11, 19)}
      </text>
      <text x={WIDTH - 10} y={14} class="axis" text-anchor="end">
        {new Date(last).toISOString().slice(11, 19)} (+{Math.round((last - first) / 1000)} s)
      </text>
      {nodes.map((node, row) => (
        <g key={node} data-timeline-node={node}>
          <text x={4} y={AXIS + row * ROW + 18} class="node-label">
            {node}
          </text>
          <line x1={LABEL} x2={WIDTH - 10} y1={AXIS + row * ROW + ROW - 2} y2={AXIS + row * ROW + ROW - 2} class="grid" />
        </g>
      ))}
      {bars.map((bar) => {
        const row = nodes.indexOf(bar.nodeId);
        const start = x(Date.parse(bar.start));
        const end = x(bar.end ? Date.parse(bar.end) : last);
        const outcome = !bar.end ? "running" : bar.result === "failure" || (bar.exitCode ?? 0) !== 0 ? "failure" : "success";
        return (
          <rect
            key={`${bar.taskId}/${bar.attempt}`}
            class={`bar bar-${outcome}`}
            data-task={bar.taskId}
            data-attempt={bar.attempt}
            data-node={bar.nodeId}
            x={start}
            y={AXIS + row * ROW + 4}
            width={Math.max(3, end - start)}
            height={ROW - 10}
          >
            <title>
              {bar.taskId} attempt {bar.attempt} on {bar.nodeId}: {bar.start} → {bar.end ?? "running"}
              {bar.exitCode !== undefined ? `, exit ${bar.exitCode}` : ""}
            </title>
          </rect>
        );
      })}
    </svg>
  );
}
