// An example of a dependency graph on Malachite (copy it into your project): a split task fans out
// to three workers that fan in to a merge, exit conditions decide what a failure means, and the job
// terminates itself once every task is done. It needs Docker and Node 20;
// `npm install --save-dev malachite @azure/batch vitest`.
import { BatchServiceClient, BatchSharedKeyCredentials, type BatchServiceModels } from "@azure/batch";
import { startMalachite, type RunningMalachite } from "malachite";
import { afterAll, beforeAll, expect, it } from "vitest";

let batch: RunningMalachite;
let client: BatchServiceClient;

beforeAll(async () => {
  batch = await startMalachite();
  client = new BatchServiceClient(new BatchSharedKeyCredentials(batch.batchAccountName, batch.batchAccountKey), batch.batchUrl);
}, 120_000);

afterAll(async () => {
  await batch?.close();
});

const bash = (script: string) => `/bin/bash -c '${script}'`;

async function text(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream ?? []) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

it("runs split → 1, 2, 3 → merge, and the job terminates itself when all tasks are complete", async () => {
  await client.pool.add({ id: "graph-pool", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1, taskSlotsPerNode: 4 });
  // Dependencies must be switched on for the job; with performexitoptionsjobaction a failed task
  // terminates the job unless its exit conditions say otherwise.
  await client.job.add({
    id: "graph",
    poolInfo: { poolId: "graph-pool" },
    usesTaskDependencies: true,
    onTaskFailure: "performexitoptionsjobaction",
    onAllTasksComplete: "noaction",
  });
  const shared = "$AZ_BATCH_NODE_SHARED_DIR";
  const tasks: BatchServiceModels.TaskAddParameter[] = [
    { id: "split", commandLine: bash(`echo 3 > ${shared}/parts`) },
    // Task ids that are integers can be depended on as a range.
    ...["1", "2", "3"].map((id) => ({ id, commandLine: bash(`echo part ${id} > ${shared}/part-${id}`), dependsOn: { taskIds: ["split"] } })),
    // Exit code 3 means "nothing to clean up": not a failure of the job, and its dependents may run.
    {
      id: "cleanup",
      commandLine: bash("exit 3"),
      dependsOn: { taskIds: ["split"] },
      exitConditions: { exitCodes: [{ code: 3, exitOptions: { jobAction: "none", dependencyAction: "satisfy" } }] },
    },
    { id: "merge", commandLine: bash(`cat ${shared}/part-*`), dependsOn: { taskIds: ["cleanup"], taskIdRanges: [{ start: 1, end: 3 }] } },
  ];
  await client.task.addCollection("graph", tasks);
  // All tasks are added: now the job may terminate itself once they are complete (Azure's advice).
  await client.job.patch("graph", { onAllTasksComplete: "terminatejob" });

  let job = await client.job.get("graph");
  while (job.state !== "completed") {
    await new Promise((resolve) => setTimeout(resolve, 250));
    job = await client.job.get("graph");
  }
  expect(job.executionInfo?.terminateReason).toBe("AllTasksComplete");
  const merge = await client.task.get("graph", "merge");
  expect(merge.executionInfo?.exitCode).toBe(0);
  const stdout = await client.file.getFromTask("graph", "merge", "stdout.txt");
  expect(await text(stdout.readableStreamBody)).toBe("part 1\npart 2\npart 3\n");
  await client.pool.deleteMethod("graph-pool");
}, 180_000);
