import type { OverviewView } from "../src/dashboard/view-models.js";
import { shortTime, seg } from "./format.js";
import { useLiveView } from "./live-view.js";
import { Problem, StateBadge } from "./widgets.js";

const TASK_COUNTS = ["active", "running", "completed", "succeeded", "failed"] as const;

/** The account: its pools with their nodes by state, its jobs with their tasks by state. */
export function OverviewPage() {
  const { view, problem } = useLiveView<OverviewView>("overview");
  if (!view) return <p class="loading">Loading…</p>;
  const pools = Object.values(view.pools).sort((a, b) => a.id.localeCompare(b.id));
  const jobs = Object.values(view.jobs).sort((a, b) => a.creationTime.localeCompare(b.creationTime));
  return (
    <section data-view="overview">
      <Problem problem={problem} />
      <h1>Pools</h1>
      {pools.length === 0 ? (
        <p class="empty">No pools.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Pool</th>
              <th>State</th>
              <th>Allocation</th>
              <th>VM size</th>
              <th>Nodes (current / target)</th>
              <th>Nodes by state</th>
            </tr>
          </thead>
          <tbody>
            {pools.map((pool) => (
              <tr key={pool.id} data-pool={pool.id}>
                <td>
                  <a href={`#/pools/${seg(pool.id)}`}>{pool.id}</a>
                </td>
                <td>
                  <StateBadge state={pool.state} />
                </td>
                <td>{pool.allocationState}</td>
                <td>{pool.vmSize}</td>
                <td>
                  {pool.currentDedicatedNodes + pool.currentLowPriorityNodes} / {pool.targetDedicatedNodes + pool.targetLowPriorityNodes}
                </td>
                <td>
                  {Object.entries(pool.nodeStates).map(([state, count]) => (
                    <span key={state} class="count">
                      <StateBadge state={state} /> {count}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h1>Jobs</h1>
      {jobs.length === 0 ? (
        <p class="empty">No jobs.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Job</th>
              <th>State</th>
              <th>Pool</th>
              <th>Created</th>
              {TASK_COUNTS.map((name) => (
                <th key={name}>{name}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.id} data-job={job.id}>
                <td>
                  <a href={`#/jobs/${seg(job.id)}`}>{job.id}</a>
                </td>
                <td>
                  <StateBadge state={job.state} />
                </td>
                <td>{job.poolId && <a href={`#/pools/${seg(job.poolId)}`}>{job.poolId}</a>}</td>
                <td>{shortTime(job.creationTime)}</td>
                {TASK_COUNTS.map((name) => (
                  <td key={name} class="number" data-count={name}>
                    {job.taskCounts?.[name] ?? ""}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
