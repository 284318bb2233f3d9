/**
 * The Batch tutorial's workflow written against Malachite exactly as a user writes it against
 * Azure: `@azure/batch` 10.2.0's BatchServiceClient with SharedKey credentials, and inputs staged
 * in blob storage with `@azure/storage-blob`.
 */
import { BatchServiceClient, BatchSharedKeyCredentials, type BatchServiceModels } from "@azure/batch";
import type { RestError } from "@azure/ms-rest-js";
import { BlobSASPermissions, BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerNodeRuntime } from "../../../src/backends/local/docker/docker-node-runtime.js";
import { startMalachite, type RunningMalachite } from "../../../src/start-malachite.js";
import { waitUntil } from "../../contract/wait-until.js";

const POOL_ID = "JsSdkTutorialPool";
const JOB_ID = "JsSdkTutorialJob";
const NUM_WORDS = 2;

/** The task program: the top N words of a file, one `<word>: <count>` line each. */
const TASK_PROGRAM = [
  "#!/bin/bash",
  "set -euo pipefail",
  `tr -s '[:space:]' '\\n' < "$1" | grep -v '^$' | sort | uniq -c | sort -k1,1nr -k2,2 | sed -n "1,$2p" | while read -r count word; do echo "$word: $count"; done`,
  "",
].join("\n");

const INPUTS: Record<string, string> = {
  "taskdata1.txt": "apple banana apple\ncherry apple banana\n",
  "taskdata2.txt": "one two two three three three\n",
  "taskdata3.txt": "red red red red blue blue green\n",
};
const EXPECTED_TOP: Record<string, string> = {
  "taskdata1.txt": "apple: 3\nbanana: 2\n",
  "taskdata2.txt": "three: 3\ntwo: 2\n",
  "taskdata3.txt": "red: 4\nblue: 2\n",
};

/** The tutorial's helpers.wrap_commands_in_shell('linux', ...). */
function wrapCommandsInShell(commands: string[]): string {
  return `/bin/bash -c 'set -e; set -o pipefail; ${commands.join(";")}; wait'`;
}

/** A {@link RestError} whose `body` (typed `any` by ms-rest-js) is the Batch error the service answered. */
type BatchRestError = Omit<RestError, "body"> & { body?: BatchServiceModels.BatchError };

/** The rejection of a call that must fail, as the SDK raises it. */
async function restError(call: Promise<unknown>): Promise<BatchRestError> {
  try {
    await call;
  } catch (error) {
    return error as RestError;
  }
  throw new Error("expected the call to fail");
}

async function streamToString(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) throw new Error("no response body");
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

describe("the tutorial's workflow through @azure/batch (BatchServiceClient)", () => {
  let malachite: RunningMalachite;
  let client: BatchServiceClient;
  let blobs: BlobServiceClient;
  const sasUrls: Record<string, string> = {};
  let imageReference: BatchServiceModels.ImageReference;
  let nodeAgentSKUId: string;
  let nodeId: string;

  const tasks = () => client.task.list(JOB_ID);
  const task = (taskId: string) => client.task.get(JOB_ID, taskId);
  const completedTask = (taskId: string, timeoutMs = 60_000) =>
    waitUntil(
      () => task(taskId),
      (t) => t.state === "completed",
      { timeoutMs, intervalMs: 250, what: `task ${taskId} to complete` },
    );

  beforeAll(async () => {
    malachite = await startMalachite({ batchPort: 0, blobPort: 0, baseImage: process.env.MALACHITE_BASE_IMAGE || undefined });
    client = new BatchServiceClient(new BatchSharedKeyCredentials(malachite.batchAccountName, malachite.batchAccountKey), malachite.batchUrl);
    blobs = BlobServiceClient.fromConnectionString(malachite.storageConnectionString);
  });

  afterAll(async () => {
    await malachite?.close();
    const left = await new DockerNodeRuntime().listManaged({ "malachite.pool": POOL_ID, "malachite.owner-pid": String(process.pid) });
    expect(left).toEqual([]);
  });

  it("uploads the task program and the inputs and makes read SAS URLs for them", async () => {
    const upload = async (containerName: string, blobName: string, content: string) => {
      const container = blobs.getContainerClient(containerName);
      await container.createIfNotExists();
      const blob = container.getBlockBlobClient(blobName);
      await blob.upload(content, Buffer.byteLength(content));
      sasUrls[blobName] = await blob.generateSasUrl({ permissions: BlobSASPermissions.parse("r"), expiresOn: new Date(Date.now() + 2 * 3600_000) });
    };
    await upload("application", "topwords.sh", TASK_PROGRAM);
    for (const [name, content] of Object.entries(INPUTS)) await upload("input", name, content);
    for (const url of Object.values(sasUrls)) {
      expect(url).toMatch(/[?&]sig=/);
      expect(url).toMatch(/[?&]sp=r(&|$)/);
    }
    const response = await fetch(sasUrls["taskdata1.txt"] as string);
    expect(await response.text()).toBe(INPUTS["taskdata1.txt"]);
  });

  it("lists the supported images and picks a verified Ubuntu image", async () => {
    const images = await client.account.listSupportedImages();
    expect(images.length).toBeGreaterThan(0);
    const ubuntu = images
      .filter((image) => image.osType === "linux" && image.verificationType === "verified")
      .find((image) => image.imageReference.publisher?.toLowerCase() === "canonical" && image.nodeAgentSKUId.startsWith("batch.node.ubuntu"));
    expect(ubuntu).toBeDefined();
    imageReference = ubuntu!.imageReference;
    nodeAgentSKUId = ubuntu!.nodeAgentSKUId;
  });

  it("creates a pool whose start task stages the program into the shared directory", async () => {
    const response = await client.pool.add({
      id: POOL_ID,
      vmSize: "standard_d2s_v3",
      virtualMachineConfiguration: { imageReference, nodeAgentSKUId },
      targetDedicatedNodes: 1,
      startTask: {
        commandLine: wrapCommandsInShell(["cp -p topwords.sh $AZ_BATCH_NODE_SHARED_DIR", `echo "staged on $AZ_BATCH_NODE_ID"`]),
        resourceFiles: [{ httpUrl: sasUrls["topwords.sh"], filePath: "topwords.sh" }],
        userIdentity: { autoUser: { scope: "pool", elevationLevel: "admin" } },
        waitForSuccess: true,
      },
    });
    expect(response._response.status).toBe(201);
    expect(response.dataServiceId).toBe(`${malachite.batchUrl}/pools/${POOL_ID}`);
    expect(response.eTag).toBeTruthy();
  });

  it("gets the pool and finds it exists; a missing pool does not", async () => {
    const pool = await client.pool.get(POOL_ID);
    expect(pool).toMatchObject({
      id: POOL_ID,
      url: `${malachite.batchUrl}/pools/${POOL_ID}`,
      vmSize: "standard_d2s_v3",
      state: "active",
      targetDedicatedNodes: 1,
      taskSlotsPerNode: 1,
      virtualMachineConfiguration: {
        nodeAgentSKUId,
        imageReference: { publisher: imageReference.publisher, offer: imageReference.offer, sku: imageReference.sku },
      },
      startTask: { waitForSuccess: true, userIdentity: { autoUser: { scope: "pool", elevationLevel: "admin" } } },
    });
    expect(pool.eTag).toBeTruthy();
    expect(pool.creationTime).toBeInstanceOf(Date);
    expect(pool.startTask?.resourceFiles?.[0]).toMatchObject({ httpUrl: sasUrls["topwords.sh"], filePath: "topwords.sh" });
    expect((await client.pool.exists(POOL_ID)).body).toBe(true);
    expect((await client.pool.exists("NoSuchPool")).body).toBe(false);
  });

  it("lists the pool's node until it is idle, its start task succeeded", async () => {
    const nodes = await waitUntil(
      () => client.computeNode.list(POOL_ID),
      (list) => list.length === 1 && list[0]?.state === "idle",
      {
        timeoutMs: 120_000,
        intervalMs: 500,
        what: "one idle node",
      },
    );
    const node = nodes[0]!;
    nodeId = node.id as string;
    expect(node).toMatchObject({ schedulingState: "enabled", isDedicated: true, vmSize: "standard_d2s_v3" });
    expect(node.startTaskInfo).toMatchObject({ state: "completed", exitCode: 0, result: "success", retryCount: 0 });
    const pool = await client.pool.get(POOL_ID);
    expect(pool).toMatchObject({ allocationState: "steady", currentDedicatedNodes: 1 });
  });

  it("creates a job on the pool", async () => {
    const response = await client.job.add({ id: JOB_ID, poolInfo: { poolId: POOL_ID } });
    expect(response._response.status).toBe(201);
    const job = await client.job.get(JOB_ID);
    expect(job).toMatchObject({ id: JOB_ID, state: "active", poolInfo: { poolId: POOL_ID }, priority: 0 });
    expect(job.executionInfo?.poolId).toBe(POOL_ID);
  });

  it("adds three tasks in one collection, each with its own input", async () => {
    const result = await client.task.addCollection(
      JOB_ID,
      Object.keys(INPUTS).map((name, index) => ({
        id: `topNtask${index}`,
        commandLine: wrapCommandsInShell([`bash $AZ_BATCH_NODE_SHARED_DIR/topwords.sh ${name} ${NUM_WORDS}`, `echo "Task: $AZ_BATCH_TASK_ID"`]),
        resourceFiles: [{ httpUrl: sasUrls[name], filePath: name }],
      })),
    );
    expect(result.value?.map((entry) => entry.status)).toEqual(["success", "success", "success"]);
    expect(result.value?.map((entry) => entry.taskId).sort()).toEqual(["topNtask0", "topNtask1", "topNtask2"]);
    for (const entry of result.value ?? []) {
      expect(entry.location).toBe(`${malachite.batchUrl}/jobs/${JOB_ID}/tasks/${entry.taskId}`);
      expect(entry.eTag).toBeTruthy();
    }
  });

  it("monitors the tasks until all are completed, successfully, on the pool's node", async () => {
    const list = await waitUntil(tasks, (all) => all.length === 3 && all.every((t) => t.state === "completed"), {
      timeoutMs: 120_000,
      intervalMs: 500,
      what: "three completed tasks",
    });
    for (const t of list) {
      expect(t.executionInfo).toMatchObject({ exitCode: 0, result: "success", retryCount: 0, requeueCount: 0 });
      expect(t.executionInfo?.failureInfo).toBeUndefined();
      expect(t.executionInfo?.startTime).toBeInstanceOf(Date);
      expect(t.executionInfo?.endTime).toBeInstanceOf(Date);
      expect(t.nodeInfo).toMatchObject({ poolId: POOL_ID, nodeId });
      expect(t.nodeInfo?.taskRootDirectory).toBe(`workitems/${JOB_ID}/job-1/${t.id}`);
    }
  });

  it("reads each task's stdout.txt: the top words of its input", async () => {
    for (const [index, name] of Object.keys(INPUTS).entries()) {
      const response = await client.file.getFromTask(JOB_ID, `topNtask${index}`, "stdout.txt");
      expect(await streamToString(response.readableStreamBody)).toBe(`${EXPECTED_TOP[name]}Task: topNtask${index}\n`);
    }
    const stderr = await client.file.getFromTask(JOB_ID, "topNtask0", "stderr.txt");
    expect(await streamToString(stderr.readableStreamBody)).toBe("");
  });

  it("gets a task file's properties from the HEAD headers", async () => {
    const stdout = `${EXPECTED_TOP["taskdata1.txt"]}Task: topNtask0\n`;
    const properties = await client.file.getPropertiesFromTask(JOB_ID, "topNtask0", "stdout.txt");
    expect(properties._response.status).toBe(200);
    expect(properties.contentLength).toBe(Buffer.byteLength(stdout));
    expect(properties.ocpBatchFileIsdirectory).toBe(false);
    expect(properties.contentType).toBe("application/octet-stream");
    expect(properties.lastModified).toBeInstanceOf(Date);
    expect(properties.ocpBatchFileMode).toMatch(/^0?[0-7]{3,4}$/);
    expect(properties.ocpBatchFileUrl).toBeTruthy();
    expect(decodeURIComponent(properties.ocpBatchFileUrl)).toBe(`${malachite.batchUrl}/jobs/${JOB_ID}/tasks/topNtask0/files/stdout.txt`);
    const missing = await restError(client.file.getPropertiesFromTask(JOB_ID, "topNtask0", "no-such-file.txt"));
    expect(missing.statusCode).toBe(404);
  });

  it("lists a task's files recursively, the resource file under wd/", async () => {
    const files = await client.file.listFromTask(JOB_ID, "topNtask1", { recursive: true });
    const byName = new Map(files.map((file) => [file.name, file]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(["stdout.txt", "stderr.txt", "wd", "wd/taskdata2.txt"]));
    expect(byName.get("wd")?.isDirectory).toBe(true);
    expect(byName.get("wd/taskdata2.txt")).toMatchObject({
      isDirectory: false,
      url: `${malachite.batchUrl}/jobs/${JOB_ID}/tasks/topNtask1/files/wd/taskdata2.txt`,
      properties: { contentLength: Buffer.byteLength(INPUTS["taskdata2.txt"] as string) },
    });
    const topLevel = await client.file.listFromTask(JOB_ID, "topNtask1", { recursive: false });
    expect(topLevel.map((file) => file.name)).not.toContain("wd/taskdata2.txt");
  });

  it("counts the job's tasks", async () => {
    const counts = await client.job.getTaskCounts(JOB_ID);
    expect(counts.taskCounts).toEqual({ active: 0, running: 0, completed: 3, succeeded: 3, failed: 0 });
    expect(counts.taskSlotCounts).toEqual({ active: 0, running: 0, completed: 3, succeeded: 3, failed: 0 });
  });

  it("retries a failing task once and reports its failure", async () => {
    await client.task.add(JOB_ID, { id: "failing", commandLine: "/bin/bash -c 'echo attempt; exit 3'", constraints: { maxTaskRetryCount: 1 } });
    const failed = await completedTask("failing");
    expect(failed.constraints?.maxTaskRetryCount).toBe(1);
    expect(failed.executionInfo).toMatchObject({ exitCode: 3, result: "failure", retryCount: 1 });
    expect(failed.executionInfo?.lastRetryTime).toBeInstanceOf(Date);
    expect(failed.executionInfo?.failureInfo).toMatchObject({ category: "usererror", code: "FailureExitCode" });
    const counts = await client.job.getTaskCounts(JOB_ID);
    expect(counts.taskCounts).toMatchObject({ completed: 4, succeeded: 3, failed: 1 });
  });

  it("terminates a sleeping task", async () => {
    await client.task.add(JOB_ID, { id: "sleeper", commandLine: "/bin/bash -c 'sleep 300'" });
    await waitUntil(
      () => task("sleeper"),
      (t) => t.state === "running",
      { timeoutMs: 60_000, intervalMs: 250, what: "the sleeper to run" },
    );
    const response = await client.task.terminate(JOB_ID, "sleeper");
    expect(response._response.status).toBe(204);
    const terminated = await completedTask("sleeper", 30_000);
    expect(terminated.executionInfo).toMatchObject({ result: "failure", failureInfo: { category: "usererror", code: "TaskEnded" } });
  });

  it("lists pools and jobs with $filter", async () => {
    expect((await client.pool.list({ poolListOptions: { filter: `id eq '${POOL_ID}'` } })).map((p) => p.id)).toEqual([POOL_ID]);
    expect([...(await client.pool.list({ poolListOptions: { filter: "state eq 'deleting'" } }))]).toEqual([]);
    const selected = await client.pool.list({ poolListOptions: { filter: "allocationState eq 'steady'", select: "id,state" } });
    expect(selected.map((p) => [p.id, p.state])).toEqual([[POOL_ID, "active"]]);
    expect(selected[0]?.vmSize).toBeUndefined();
    expect((await client.job.list({ jobListOptions: { filter: "state eq 'active'" } })).map((j) => j.id)).toEqual([JOB_ID]);
    expect([...(await client.job.list({ jobListOptions: { filter: "state eq 'completed'" } }))]).toEqual([]);
    const completedTasks = await client.task.list(JOB_ID, { taskListOptions: { filter: "executionInfo/result eq 'failure'" } });
    expect(completedTasks.map((t) => t.id).sort()).toEqual(["failing", "sleeper"]);
  });

  it("pages through the job's tasks with maxResults and listNext", async () => {
    const ids: string[] = [];
    const sizes: number[] = [];
    let page = await client.task.list(JOB_ID, { taskListOptions: { maxResults: 2, select: "id" } });
    for (;;) {
      sizes.push(page.length);
      ids.push(...page.map((t) => t.id as string));
      if (!page.odatanextLink) break;
      expect(sizes.length).toBeLessThan(5);
      page = await client.task.listNext(page.odatanextLink);
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(ids).toEqual(["topNtask0", "topNtask1", "topNtask2", "failing", "sleeper"]);
  });

  it("terminates the job", async () => {
    const response = await client.job.terminate(JOB_ID, { terminateReason: "tutorial finished" });
    expect(response._response.status).toBe(202);
    const job = await waitUntil(
      () => client.job.get(JOB_ID),
      (j) => j.state === "completed",
      { timeoutMs: 30_000, intervalMs: 250, what: "the job to complete" },
    );
    expect(job.executionInfo?.terminateReason).toBe("tutorial finished");
    expect(job.executionInfo?.endTime).toBeInstanceOf(Date);
    const rejected = await restError(client.task.add(JOB_ID, { id: "late", commandLine: "/bin/true" }));
    expect(rejected.statusCode).toBe(409);
    expect(rejected.code).toBe("JobCompleted");
  });

  it("deletes a task", async () => {
    const response = await client.task.deleteMethod(JOB_ID, "topNtask2");
    expect(response._response.status).toBe(200);
    const error = await restError(client.task.get(JOB_ID, "topNtask2"));
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe("TaskNotFound");
    expect((await tasks()).map((t) => t.id)).not.toContain("topNtask2");
  });

  it("deletes the job; it goes away", async () => {
    const response = await client.job.deleteMethod(JOB_ID);
    expect(response._response.status).toBe(202);
    const error = await waitUntil(
      () => restError(client.job.get(JOB_ID)).catch((e: Error) => e as RestError),
      (e) => e.statusCode === 404,
      { timeoutMs: 30_000, intervalMs: 250, what: "the job to be gone" },
    );
    expect(error.code).toBe("JobNotFound");
  });

  it("resizes the pool down to no nodes", async () => {
    const response = await client.pool.resize(POOL_ID, { targetDedicatedNodes: 0 });
    expect(response._response.status).toBe(202);
    const pool = await waitUntil(
      () => client.pool.get(POOL_ID),
      (p) => p.allocationState === "steady" && p.currentDedicatedNodes === 0,
      {
        timeoutMs: 60_000,
        intervalMs: 250,
        what: "an empty pool",
      },
    );
    expect(pool.targetDedicatedNodes).toBe(0);
    expect([...(await client.computeNode.list(POOL_ID))]).toEqual([]);
  });

  it("deletes the pool; pool.get then fails with PoolNotFound", async () => {
    const response = await client.pool.deleteMethod(POOL_ID);
    expect(response._response.status).toBe(202);
    const error = await waitUntil(
      () => restError(client.pool.get(POOL_ID)).catch((e: Error) => e as BatchRestError),
      (e) => e.statusCode === 404,
      { timeoutMs: 60_000, intervalMs: 250, what: "the pool to be gone" },
    );
    expect(error.code).toBe("PoolNotFound");
    expect(error.body).toMatchObject({ code: "PoolNotFound", message: { lang: "en-US" } });
    expect(error.body?.message?.value).toMatch(/^The specified pool does not exist\./);
    expect((await client.pool.exists(POOL_ID)).body).toBe(false);
    expect([...(await client.pool.list())]).toEqual([]);
    const left = await new DockerNodeRuntime().listManaged({ "malachite.pool": POOL_ID, "malachite.owner-pid": String(process.pid) });
    expect(left).toEqual([]);
  });
});
