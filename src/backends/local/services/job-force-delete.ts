import path from "node:path";
import { idKey } from "../../../core/validation/ids.js";
import { NodeRootFs } from "../files/node-root-fs.js";
import { runningAttempts, type JobRecord } from "../state/records.js";
import type { LocalContext } from "./local-context.js";
import { jobPoolId } from "../../../core/job-pool.js";
import { retireJob } from "./entity-statistics.js";

/**
 * Job_Delete with `force` (api-version 2024-07-01.20.0): "If true, the server will delete the Job
 * even if the corresponding nodes have not fully processed the deletion." The job is forgotten at
 * once (a GET answers JobNotFound, its id is free again); its tasks, already told to stop, finish
 * stopping in the background, and its directories on the nodes are removed then, unless a new
 * job has taken its id meanwhile (its directories are that job's now).
 */
export async function removeJobNow(ctx: LocalContext, record: JobRecord): Promise<void> {
  retireJob(ctx, record);
  ctx.state.removeJob(record);
  await Promise.all(runningAttempts(record.tasks.values()));
  if (ctx.state.jobs.has(idKey(record.job.id))) return;
  const pool = ctx.state.pools.get(idKey(jobPoolId(record.job) ?? ""));
  for (const node of pool?.nodes.values() ?? []) {
    // Through NodeRootFs: tasks shape this tree and may have made `workitems` a link out of it.
    await new NodeRootFs(node.hostRoot).remove(path.posix.join("workitems", record.job.id));
  }
}
