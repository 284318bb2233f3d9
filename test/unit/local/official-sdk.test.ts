/**
 * The in-process REST endpoint as @azure/batch 10.2.0's BatchServiceClient sees it: entities,
 * paging, task control, files and errors, over a backend with a fake node runtime.
 */
import type { BatchServiceClient } from "@azure/batch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBed } from "../../support/test-bed.js";
import { restErrorOf } from "../../support/rejection-of.js";

let bed: TestBed;
let client: BatchServiceClient;

beforeAll(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  bed.runtime.programs.set("greet", (run) => ({ stdout: `hello ${run.argv[1]}\n`, stderr: "a warning\n" }));
  await client.pool.add({
    id: "SdkPool",
    vmSize: "standard_d2s_v3",
    virtualMachineConfiguration: {
      imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts" },
      nodeAgentSKUId: "batch.node.ubuntu 22.04",
    },
    targetDedicatedNodes: 1,
    taskSlotsPerNode: 2,
  });
  await bed.waitFor(async () => (await client.computeNode.list("SdkPool"))[0]?.state === "idle", "an idle node");
  await client.job.add({ id: "SdkJob", poolInfo: { poolId: "SdkPool" } });
});

afterAll(async () => {
  await bed?.close();
});

async function text(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream ?? []) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

describe("@azure/batch against the in-process endpoint", () => {
  it("reads the pool, its node and the job as the SDK models them", async () => {
    const pool = await client.pool.get("SdkPool");
    expect(pool).toMatchObject({ id: "SdkPool", state: "active", allocationState: "steady", currentDedicatedNodes: 1, taskSlotsPerNode: 2 });
    expect(pool.creationTime).toBeInstanceOf(Date);
    expect((await client.pool.exists("SdkPool")).body).toBe(true);
    expect((await client.pool.exists("NoSuchPool")).body).toBe(false);
    const [node] = await client.computeNode.list("SdkPool");
    expect(node).toMatchObject({ state: "idle", schedulingState: "enabled", isDedicated: true });
    expect((await client.job.get("SdkJob")).executionInfo?.poolId).toBe("SdkPool");
  });

  it("pages a task list through listNext", async () => {
    await client.job.add({ id: "SdkPagedJob", poolInfo: { poolId: "NoNodesHere" } });
    await client.task.addCollection(
      "SdkPagedJob",
      Array.from({ length: 25 }, (_, i) => ({ id: `t${String(i).padStart(2, "0")}`, commandLine: "true" })),
    );
    let page = await client.task.list("SdkPagedJob", { taskListOptions: { maxResults: 10 } });
    const ids = page.map((task) => task.id);
    while (page.odatanextLink) {
      page = await client.task.listNext(page.odatanextLink);
      ids.push(...page.map((task) => task.id));
    }
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `t${String(i).padStart(2, "0")}`));
    const counts = await client.job.getTaskCounts("SdkPagedJob");
    expect(counts.taskCounts).toMatchObject({ active: 25, running: 0, completed: 0 });
  });

  it("runs a task and reads its output files", async () => {
    await client.task.add("SdkJob", { id: "greeter", commandLine: "greet world" });
    await bed.taskIn("SdkJob", "greeter", "completed");
    const task = await client.task.get("SdkJob", "greeter");
    expect(task.executionInfo).toMatchObject({ exitCode: 0, result: "success", retryCount: 0 });
    expect(task.executionInfo?.endTime).toBeInstanceOf(Date);
    expect(await text((await client.file.getFromTask("SdkJob", "greeter", "stdout.txt")).readableStreamBody)).toBe("hello world\n");
    const files = await client.file.listFromTask("SdkJob", "greeter");
    expect(files.map((file) => file.name)).toEqual(expect.arrayContaining(["stdout.txt", "stderr.txt"]));
    const properties = await client.file.getPropertiesFromTask("SdkJob", "greeter", "stderr.txt");
    expect(properties.contentLength).toBe(Buffer.byteLength("a warning\n"));
  });

  it("terminates a running task and deletes it", async () => {
    const held = bed.runtime.hold("hold");
    await client.task.add("SdkJob", { id: "held", commandLine: "hold" });
    const run = await held.started("held");
    expect((await client.task.get("SdkJob", "held")).state).toBe("running");
    await client.task.terminate("SdkJob", "held");
    await bed.taskIn("SdkJob", "held", "completed");
    const task = await client.task.get("SdkJob", "held");
    expect(run.killed).toBe(true);
    expect(task.executionInfo?.failureInfo).toMatchObject({ category: "usererror", code: "TaskEnded" });
    await client.task.deleteMethod("SdkJob", "held");
    expect((await restErrorOf(client.task.get("SdkJob", "held"))).code).toBe("TaskNotFound");
  });

  it("raises the service's errors as RestErrors with status and code", async () => {
    const missing = await restErrorOf(client.pool.get("NoSuchPool"));
    expect([missing.statusCode, missing.code]).toEqual([404, "PoolNotFound"]);
    const duplicate = await restErrorOf(client.job.add({ id: "SDKJOB", poolInfo: { poolId: "SdkPool" } }));
    expect([duplicate.statusCode, duplicate.code]).toEqual([409, "JobExists"]);
    const notSteady = await (async () => {
      await client.pool.resize("SdkPool", { targetDedicatedNodes: 2 });
      return restErrorOf(client.pool.resize("SdkPool", { targetDedicatedNodes: 3 }));
    })();
    expect([notSteady.statusCode, notSteady.code]).toEqual([409, "PoolNotSteady"]);
  });
});
