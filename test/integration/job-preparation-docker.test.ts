/** Job preparation and release tasks really run in the node's container, with the job's tasks seeing AZ_BATCH_JOB_PREP_DIR. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalBackend } from "../../src/backends/local/local-backend.js";
import { uniqueId, waitUntil } from "../contract/wait-until.js";
import { startLocalBackend } from "./local-test-backend.js";

const bash = (script: string) => `/bin/bash -c '${script}'`;

describe("job preparation and release tasks on Docker nodes", () => {
  let backend: LocalBackend;
  const poolId = uniqueId("pool");

  beforeAll(async () => {
    backend = await startLocalBackend();
    await backend.batch.pool.add({ id: poolId, vmSize: "standard_a1", targetDedicatedNodes: 1 });
    await waitUntil(
      () => backend.batch.computeNode.list(poolId),
      (nodes) => nodes.length === 1 && nodes[0]?.state === "idle",
      { timeoutMs: 60_000, what: "an idle node" },
    );
  });

  afterAll(async () => {
    await backend?.close();
  });

  it("prepares the node for the job's tasks and cleans up after the job", async () => {
    const jobId = uniqueId("job");
    await backend.batch.job.add({
      id: jobId,
      poolInfo: { poolId },
      jobPreparationTask: { commandLine: bash('echo data > input.txt && echo "prepared $AZ_BATCH_TASK_ID" > $AZ_BATCH_NODE_SHARED_DIR/$AZ_BATCH_JOB_ID.txt') },
      jobReleaseTask: { commandLine: bash('rm $AZ_BATCH_NODE_SHARED_DIR/$AZ_BATCH_JOB_ID.txt && echo "released from $AZ_BATCH_JOB_PREP_DIR"') },
    });
    await backend.batch.task.add(jobId, {
      id: "t",
      commandLine: bash(
        'echo "$AZ_BATCH_JOB_PREP_DIR|$AZ_BATCH_JOB_PREP_WORKING_DIR"; cat $AZ_BATCH_JOB_PREP_WORKING_DIR/input.txt $AZ_BATCH_NODE_SHARED_DIR/$AZ_BATCH_JOB_ID.txt',
      ),
    });
    const task = await waitUntil(
      () => backend.batch.task.get(jobId, "t"),
      (t) => t.state === "completed",
      { timeoutMs: 60_000, what: "the task to complete" },
    );
    expect(task.executionInfo.result).toBe("success");
    const prepDir = `/mnt/batch/tasks/workitems/${jobId}/job-1/jobpreparation`;
    expect((await backend.batch.file.getFromTask(jobId, "t", "stdout.txt")).toString()).toBe(`${prepDir}|${prepDir}/wd\ndata\nprepared jobpreparation\n`);

    await backend.batch.job.terminate(jobId);
    await waitUntil(
      () => backend.batch.job.get(jobId),
      (job) => job.state === "completed",
      { timeoutMs: 60_000, what: "the job to complete" },
    );
    const [status] = await backend.batch.job.listPreparationAndReleaseTaskStatus(jobId);
    expect(status?.jobReleaseTaskExecutionInfo).toMatchObject({ state: "completed", exitCode: 0, result: "success" });
    const nodeId = status?.nodeId as string;
    const released = await backend.batch.file.getFromComputeNode(poolId, nodeId, `workitems/${jobId}/job-1/jobrelease/stdout.txt`);
    expect(released.toString()).toBe(`released from ${prepDir}\n`);
    const shared = await backend.batch.file.listFromComputeNode(poolId, nodeId, { recursive: true });
    expect(shared.map((file) => file.name)).not.toContain(`shared/${jobId}.txt`);
  });
});
