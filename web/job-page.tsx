import { useState } from "preact/hooks";
import type { JobView, TaskRow } from "../src/dashboard/view-models.js";
import { ActionButton } from "./actions.js";
import { duration, shortTime, seg } from "./format.js";
import { useLiveView } from "./live-view.js";
import { TaskTimeline } from "./task-timeline.js";
import { Ended, Problem, StateBadge } from "./widgets.js";

const FILTERS = ["all", "active", "preparing", "running", "completed", "failed"] as const;
type Filter = (typeof FILTERS)[number];

function shown(task: TaskRow, filter: Filter): boolean {
  if (filter === "all") return true;
  if (filter === "failed") return task.state === "completed" && (task.result === "failure" || task.failureCode !== undefined);
  return task.state === filter;
}

/** A job: its tasks in a table with filters by state, and a timeline of their runs per node. */
export function JobPage({ jobId }: { jobId: string }) {
  const { view, ended, problem } = useLiveView<JobView>(`jobs/${seg(jobId)}`);
  const [filter, setFilter] = useState<Filter>("all");
  if (ended) return <Ended ended={ended} what={`Job ${jobId}`} />;
  const job = view && Object.values(view.job)[0];
  if (!view || !job) return <p class="loading">Loading…</p>;
  const tasks = Object.values(view.tasks).sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
  const rows = tasks.filter((task) => shown(task, filter));
  return (
    <section data-view="job">
      <Problem problem={problem} />
      <h1>
        Job {job.id} <StateBadge state={job.state} />{" "}
        {job.state === "active" && (
          <ActionButton label="Terminate job" path={`jobs/${seg(job.id)}/terminate`} question={`Terminate job ${job.id} and its running tasks?`} />
        )}
      </h1>
      <p>
        Pool {job.poolInfo.poolId && <a href={`#/pools/${seg(job.poolInfo.poolId)}`}>{job.poolInfo.poolId}</a>}, created {shortTime(job.creationTime)}
        {job.executionInfo.terminateReason && `, ended: ${job.executionInfo.terminateReason}`}
      </p>
      <h2>Timeline</h2>
      <TaskTimeline attempts={view.attempts} />
      <h2>Tasks</h2>
      <div class="filters" role="group" aria-label="filter by state">
        {FILTERS.map((name) => (
          <button key={name} class={name === filter ? "on" : ""} data-filter={name} onClick={() => setFilter(name)}>
            {name} ({tasks.filter((task) => shown(task, name)).length})
          </button>
        ))}
      </div>
      <table class="tasks">
        <thead>
          <tr>
            <th>Task</th>
            <th>State</th>
            <th>Node</th>
            <th>Exit code</th>
            <th>Retries</th>
            <th>Started</th>
            <th>Duration</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((task) => (
            <tr key={task.id} data-task={task.id} data-state={task.state}>
              <td>
                <a href={`#/jobs/${seg(job.id)}/tasks/${seg(task.id)}`}>{task.id}</a>
              </td>
              <td>
                <StateBadge state={task.state} />
                {task.failureCode && <span class="failure"> {task.failureCode}</span>}
              </td>
              <td>{task.nodeId && task.poolId ? <a href={`#/pools/${seg(task.poolId)}`}>{task.nodeId}</a> : task.nodeId}</td>
              <td class="number">{task.exitCode ?? ""}</td>
              <td class="number">{task.retryCount + task.requeueCount || ""}</td>
              <td>{shortTime(task.startTime)}</td>
              <td>{duration(task.startTime, task.endTime)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
