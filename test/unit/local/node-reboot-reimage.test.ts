/**
 * Node reboot and reimage through the official SDK (REST `Nodes_RebootNode`, `Nodes_ReimageNode`):
 * the node goes `rebooting`/`reimaging` → `starting` → start task again → `idle` on a new
 * container; its running tasks are requeued, terminated or left to complete as the option says;
 * a reimage wipes the node's directories, a reboot keeps them.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, describe, expect, it } from "vitest";
import type { ComputeNode } from "../../../src/core/models/index.js";
import { signedFetcher } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
let client: BatchServiceClient;
afterEach(() => bed?.close());

async function start(): Promise<void> {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
}

function nodeIn(poolId: string, nodeId: string, state: ComputeNode["state"]): Promise<ComputeNode> {
  return bed.waitFor(async () => {
    const node = await bed.batch.computeNode.get(poolId, nodeId);
    return node.state === state && node;
  }, `node ${nodeId} to be ${state}`);
}

/** A pool of one node whose start task counts its runs; a job on it whose task `work` holds. */
async function poolWithRunningTask() {
  let setups = 0;
  bed.runtime.programs.set("setup", () => {
    setups++;
    return {};
  });
  const held = bed.runtime.hold("work");
  const { nodes } = await bed.addPool("pool", { startTask: { commandLine: "setup", waitForSuccess: true } });
  const nodeId = (nodes[0] as ComputeNode).id;
  await bed.addJob("job", "pool");
  await client.task.add("job", { id: "t", commandLine: "work" });
  await bed.taskIn("job", "t", "running");
  await bed.waitFor(() => held.running.length === 1, "the task's process to start");
  return { nodeId, held, setups: () => setups };
}

describe("node reboot", () => {
  it("requeues the running task by default, restarts the node on a new container, runs the start task again and keeps its files", async () => {
    await start();
    const { nodeId, held, setups } = await poolWithRunningTask();
    const hostRoot = bed.runtime.nodeStarts[0]?.hostNodeRootDir as string;
    await mkdir(path.join(hostRoot, "shared"), { recursive: true });
    await writeFile(path.join(hostRoot, "shared", "kept.txt"), "still here");
    const firstContainer = [...bed.runtime.nodes.keys()][0];

    const restart = bed.runtime.holdNodeStarts();
    await client.computeNode.reboot("pool", nodeId);
    expect((await client.computeNode.get("pool", nodeId)).state).toBe("rebooting");
    restart.open();
    const back = await nodeIn("pool", nodeId, "running");
    expect(back.lastBootTime).toBeDefined();
    expect(setups()).toBe(2);
    expect(bed.runtime.removed).toContain(firstContainer);
    expect(bed.runtime.nodeStarts).toHaveLength(2);
    expect(await readFile(path.join(hostRoot, "shared", "kept.txt"), "utf8")).toBe("still here");

    // The task was requeued (not failed) and runs again on the rebooted node.
    await bed.waitFor(() => held.running.length === 1, "the requeued task to run again");
    const again = await bed.taskIn("job", "t", "running");
    expect(again.executionInfo?.requeueCount).toBe(1);
    held.running[0]?.finish(0);
    expect((await bed.taskIn("job", "t", "completed")).executionInfo).toMatchObject({ result: "success", requeueCount: 1 });
  });

  it("with terminate, completes the running task with the failure of a terminated task", async () => {
    await start();
    const { nodeId } = await poolWithRunningTask();
    await client.computeNode.reboot("pool", nodeId, { nodeRebootOption: "terminate" });
    const done = await bed.taskIn("job", "t", "completed");
    expect(done.executionInfo).toMatchObject({ result: "failure", requeueCount: 0, failureInfo: { category: "usererror", code: "TaskEnded" } });
    await nodeIn("pool", nodeId, "idle");
  });

  it("with taskcompletion, lets the running task finish first and schedules nothing new on the node meanwhile", async () => {
    await start();
    const { nodeId, held, setups } = await poolWithRunningTask();
    await client.computeNode.reboot("pool", nodeId, { nodeRebootOption: "taskcompletion" });
    await client.task.add("job", { id: "next", commandLine: "work" });
    await bed.clock.advance(1_000);
    expect((await client.computeNode.get("pool", nodeId)).state).toBe("running");
    expect((await client.task.get("job", "next")).state).toBe("active");
    expect(held.running).toHaveLength(1);

    held.running[0]?.finish(0);
    expect((await bed.taskIn("job", "t", "completed")).executionInfo).toMatchObject({ result: "success", requeueCount: 0 });
    await bed.waitFor(() => setups() === 2, "the start task to run again");
    await bed.taskIn("job", "next", "running");
    expect(bed.runtime.nodeStarts).toHaveLength(2);
  });

  it("with retaineddata, waits for the task to complete and then for its retention time to pass", async () => {
    await start();
    bed.runtime.programs.set("setup", () => ({}));
    const held = bed.runtime.hold("work");
    const { nodes } = await bed.addPool("pool");
    const nodeId = (nodes[0] as ComputeNode).id;
    await bed.addJob("job", "pool");
    await client.task.add("job", { id: "t", commandLine: "work", constraints: { retentionTime: "PT10M" } });
    await bed.waitFor(() => held.running.length === 1, "the task's process to start");
    await client.computeNode.reboot("pool", nodeId, { nodeRebootOption: "retaineddata" });
    held.running[0]?.finish(0);
    await bed.taskIn("job", "t", "completed");
    await bed.clock.advance(9 * 60_000);
    expect((await client.computeNode.get("pool", nodeId)).state).toBe("idle");
    expect(bed.runtime.nodeStarts).toHaveLength(1);
    await bed.clock.advance(61_000);
    await bed.waitFor(() => bed.runtime.nodeStarts.length === 2, "the node to be rebooted once the retention passed");
    await nodeIn("pool", nodeId, "idle");
  });

  it("answers 409 for a node that is already rebooting, and 404 for a node that does not exist", async () => {
    await start();
    const gate = bed.runtime.holdNodeStarts();
    await bed.batch.pool.add({ id: "pool", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
    const [node] = await bed.waitFor(async () => {
      const list = await bed.batch.computeNode.list("pool");
      return list.length === 1 && list;
    }, "the node to be created");
    // Still creating: its container start is held.
    await expect(client.computeNode.reboot("pool", (node as ComputeNode).id)).rejects.toMatchObject({ statusCode: 409, code: "NodeBeingCreated" });
    gate.open();
    await nodeIn("pool", (node as ComputeNode).id, "idle");
    const rebootHold = bed.runtime.holdNodeStarts();
    await client.computeNode.reboot("pool", (node as ComputeNode).id);
    await expect(client.computeNode.reboot("pool", (node as ComputeNode).id)).rejects.toMatchObject({ statusCode: 409, code: "NodeBeingRebooted" });
    await expect(client.computeNode.reimage("pool", (node as ComputeNode).id)).rejects.toMatchObject({ statusCode: 409, code: "NodeBeingRebooted" });
    rebootHold.open();
    await expect(client.computeNode.reboot("pool", "tvm-none")).rejects.toMatchObject({ statusCode: 404, code: "NodeNotFound" });
  });

  it("refuses an option the service does not have", async () => {
    await start();
    const { nodes } = await bed.addPool("pool");
    const batch = signedFetcher(bed.account);
    const response = await batch(`/pools/pool/nodes/${(nodes[0] as ComputeNode).id}/reboot`, { json: { nodeRebootOption: "later" } });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      code: "InvalidPropertyValue",
      values: expect.arrayContaining([{ key: "PropertyName", value: "nodeRebootOption" }]) as unknown,
    });
    // No body at all is the default, requeue.
    expect((await batch(`/pools/pool/nodes/${(nodes[0] as ComputeNode).id}/reboot`, { method: "POST" })).status).toBe(202);
  });
});

describe("node reimage", () => {
  it("wipes the node's directories, runs the start task again on a new container, and requeues the running task", async () => {
    await start();
    const { nodeId, held, setups } = await poolWithRunningTask();
    const hostRoot = bed.runtime.nodeStarts[0]?.hostNodeRootDir as string;
    await writeFile(path.join(hostRoot, "shared", "gone.txt"), "wiped");
    const taskDir = path.join(hostRoot, "workitems", "job", "job-1", "t");
    await writeFile(path.join(taskDir, "result.txt"), "wiped too");

    const restart = bed.runtime.holdNodeStarts();
    await client.computeNode.reimage("pool", nodeId);
    expect((await client.computeNode.get("pool", nodeId)).state).toBe("reimaging");
    restart.open();
    await bed.waitFor(() => setups() === 2, "the start task to run again");
    await expect(readFile(path.join(hostRoot, "shared", "gone.txt"))).rejects.toMatchObject({ code: "ENOENT" });
    await expect(readFile(path.join(taskDir, "result.txt"))).rejects.toMatchObject({ code: "ENOENT" });
    await bed.waitFor(() => held.running.length === 1, "the requeued task to run again");
    expect((await bed.taskIn("job", "t", "running")).executionInfo?.requeueCount).toBe(1);
  });

  it("runs the job preparation task again after a reimage, even with rerunOnNodeRebootAfterSuccess false (a reboot does not)", async () => {
    await start();
    let preparations = 0;
    bed.runtime.programs.set("prepare", () => {
      preparations++;
      return {};
    });
    const { nodes } = await bed.addPool("pool");
    const nodeId = (nodes[0] as ComputeNode).id;
    await bed.addJob("job", "pool", { jobPreparationTask: { commandLine: "prepare", rerunOnNodeRebootAfterSuccess: false } });
    const runTask = async (id: string) => {
      await client.task.add("job", { id, commandLine: "true" });
      await bed.taskIn("job", id, "completed");
    };
    await runTask("first");
    expect(preparations).toBe(1);

    // A later boot time: the node did reboot, as the preparation task's record sees it.
    await bed.clock.advance(1_000);
    await client.computeNode.reboot("pool", nodeId);
    await bed.waitFor(() => bed.runtime.nodeStarts.length === 2, "the reboot");
    await nodeIn("pool", nodeId, "idle");
    await runTask("after-reboot");
    expect(preparations).toBe(1);

    await bed.clock.advance(1_000);
    await client.computeNode.reimage("pool", nodeId);
    await bed.waitFor(() => bed.runtime.nodeStarts.length === 3, "the reimage");
    await nodeIn("pool", nodeId, "idle");
    await runTask("after-reimage");
    expect(preparations).toBe(2);
  });
});
