/**
 * Pool sizing through @azure/batch 10.2.0 on the in-process server: Spot/low-priority nodes,
 * Pool_RemoveNodes, Pool_StopResize and the resize timeout on the backend's (fake) clock.
 */
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { restErrorOf } from "../../support/rejection-of.js";
import { signedFetcher } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
let client: BatchServiceClient;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
});

afterEach(async () => {
  bed.runtime.releaseAll();
  await bed.close();
});

const POOL = { vmSize: "standard_d2s_v3" };

async function nodesOf(poolId: string): Promise<BatchServiceModels.ComputeNode[]> {
  return [...(await client.computeNode.list(poolId))];
}

/** Waits until the pool is steady with `count` nodes, all idle or running, and returns the pool. */
function steadyWith(poolId: string, count: number): Promise<BatchServiceModels.CloudPool> {
  return bed.waitFor(async () => {
    const pool = await client.pool.get(poolId);
    const nodes = await nodesOf(poolId);
    const up = nodes.every((node) => node.state === "idle" || node.state === "running");
    return pool.allocationState === "steady" && nodes.length === count && up && pool;
  }, `pool ${poolId} steady with ${count} node(s)`);
}

function allocationOf(poolId: string, state: string): Promise<BatchServiceModels.CloudPool> {
  return bed.waitFor(async () => {
    const pool = await client.pool.get(poolId);
    return pool.allocationState === state && pool;
  }, `pool ${poolId} to be ${state}`);
}

describe("Spot/low-priority nodes", () => {
  it("a pool with both kinds: isDedicated per node, current counts by kind, node counts split", async () => {
    await client.pool.add({ id: "mixed", ...POOL, targetDedicatedNodes: 1, targetLowPriorityNodes: 2 });
    const pool = await steadyWith("mixed", 3);
    expect(pool).toMatchObject({ targetDedicatedNodes: 1, targetLowPriorityNodes: 2, currentDedicatedNodes: 1, currentLowPriorityNodes: 2 });
    const nodes = await nodesOf("mixed");
    expect(nodes.filter((node) => node.isDedicated === false)).toHaveLength(2);
    expect(nodes.filter((node) => node.isDedicated === true)).toHaveLength(1);
    const counts = [...(await client.account.listPoolNodeCounts())].find((entry) => entry.poolId === "mixed");
    expect(counts?.dedicated).toMatchObject({ idle: 1, total: 1 });
    expect(counts?.lowPriority).toMatchObject({ idle: 2, total: 2 });
  });

  it("resize moves each kind to its own target", async () => {
    await client.pool.add({ id: "p", ...POOL, targetDedicatedNodes: 2 });
    await steadyWith("p", 2);
    await client.pool.resize("p", { targetDedicatedNodes: 1, targetLowPriorityNodes: 1 });
    const pool = await steadyWith("p", 2);
    expect(pool).toMatchObject({ targetDedicatedNodes: 1, targetLowPriorityNodes: 1, currentDedicatedNodes: 1, currentLowPriorityNodes: 1 });
    // Only the Spot target changes: the dedicated node stays.
    const dedicated = (await nodesOf("p")).find((node) => node.isDedicated)?.id;
    await client.pool.resize("p", { targetLowPriorityNodes: 0 });
    await steadyWith("p", 1);
    expect((await nodesOf("p")).map((node) => node.id)).toEqual([dedicated]);
  });

  it("a preempted Spot node stays counted, shows in the low-priority counts, and its task is requeued", async () => {
    const held = bed.runtime.hold("work");
    await client.pool.add({ id: "spot", ...POOL, targetDedicatedNodes: 0, targetLowPriorityNodes: 1 });
    await steadyWith("spot", 1);
    await client.job.add({ id: "job", poolInfo: { poolId: "spot" } });
    await client.task.add("job", { id: "t", commandLine: "work" });
    await held.started("t");
    const nodeId = (await nodesOf("spot"))[0]?.id as string;
    await bed.batch.faults.inject({ type: "preemptNode", poolId: "spot", nodeId });
    await bed.waitFor(async () => (await client.computeNode.get("spot", nodeId)).state === "preempted", "the node to be preempted");
    const task = await bed.waitFor(async () => {
      const got = await client.task.get("job", "t");
      return got.state === "active" && got;
    }, "the task to be requeued");
    expect(task.executionInfo).toMatchObject({ requeueCount: 1, retryCount: 0 });
    expect(await client.pool.get("spot")).toMatchObject({ currentLowPriorityNodes: 1, allocationState: "steady" });
    const counts = [...(await client.account.listPoolNodeCounts())].find((entry) => entry.poolId === "spot");
    expect(counts?.lowPriority).toMatchObject({ preempted: 1, total: 1 });
    expect(counts?.dedicated).toMatchObject({ total: 0 });
  });

  it("a shrinking pool gives up its preempted Spot node before one that can run tasks", async () => {
    await client.pool.add({ id: "p", ...POOL, targetDedicatedNodes: 0, targetLowPriorityNodes: 2 });
    await steadyWith("p", 2);
    const [first, second] = await nodesOf("p");
    await bed.batch.faults.inject({ type: "preemptNode", poolId: "p", nodeId: second?.id as string });
    await client.pool.resize("p", { targetLowPriorityNodes: 1 });
    await steadyWith("p", 1);
    expect((await nodesOf("p")).map((node) => node.id)).toEqual([first?.id]);
  });

  it("a job manager with allowLowPriorityNode false waits for a dedicated node", async () => {
    await client.pool.add({ id: "p", ...POOL, targetDedicatedNodes: 0, targetLowPriorityNodes: 1 });
    await steadyWith("p", 1);
    const held = bed.runtime.hold("manage");
    await client.job.add({ id: "job", poolInfo: { poolId: "p" }, jobManagerTask: { id: "jm", commandLine: "manage", allowLowPriorityNode: false } });
    await client.task.add("job", { id: "other", commandLine: "/bin/true" });
    // The other task runs on the Spot node; the manager does not.
    await bed.waitFor(async () => (await client.task.get("job", "other")).state === "completed", "the other task to complete");
    expect((await client.task.get("job", "jm")).state).toBe("active");
    await client.pool.resize("p", { targetDedicatedNodes: 1, targetLowPriorityNodes: 1 });
    await held.started("jm");
    const manager = await client.task.get("job", "jm");
    const node = await client.computeNode.get("p", manager.nodeInfo?.nodeId as string);
    expect(node.isDedicated).toBe(true);
  });
});

describe("Pool_RemoveNodes", () => {
  it("removes the named node: leavingpool, then gone; the target drops by one; steady after", async () => {
    await client.pool.add({ id: "p", ...POOL, targetDedicatedNodes: 2, targetLowPriorityNodes: 1 });
    await steadyWith("p", 3);
    const nodes = await nodesOf("p");
    const spot = nodes.find((node) => !node.isDedicated)?.id as string;
    const dedicated = nodes.find((node) => node.isDedicated)?.id as string;
    await client.pool.removeNodes("p", { nodeList: [spot, dedicated] });
    const resizing = await client.pool.get("p");
    expect(resizing).toMatchObject({ allocationState: "resizing", targetDedicatedNodes: 1, targetLowPriorityNodes: 0 });
    expect((await client.computeNode.get("p", spot)).state).toBe("leavingpool");
    const pool = await steadyWith("p", 1);
    expect(pool).toMatchObject({ currentDedicatedNodes: 1, currentLowPriorityNodes: 0 });
    expect((await nodesOf("p")).map((node) => node.id)).not.toContain(dedicated);
  });

  it("taskcompletion lets the running task finish before the node goes", async () => {
    const held = bed.runtime.hold("work");
    await client.pool.add({ id: "p", ...POOL, targetDedicatedNodes: 1 });
    await steadyWith("p", 1);
    await client.job.add({ id: "job", poolInfo: { poolId: "p" } });
    await client.task.add("job", { id: "t", commandLine: "work" });
    await held.started("t");
    const nodeId = (await nodesOf("p"))[0]?.id as string;
    await client.pool.removeNodes("p", { nodeList: [nodeId], nodeDeallocationOption: "taskcompletion", resizeTimeout: "PT10M" });
    expect(await client.pool.get("p")).toMatchObject({ allocationState: "resizing", targetDedicatedNodes: 0, resizeTimeout: "PT10M" });
    expect((await client.task.get("job", "t")).state).toBe("running");
    held.running[0]?.finish(0);
    await steadyWith("p", 0);
    expect((await client.task.get("job", "t")).executionInfo).toMatchObject({ result: "success", requeueCount: 0 });
  });

  it("retaineddata keeps the node until the retention time of the tasks that ran there has passed", async () => {
    await client.pool.add({ id: "p", ...POOL, targetDedicatedNodes: 1 });
    await steadyWith("p", 1);
    await client.job.add({ id: "job", poolInfo: { poolId: "p" } });
    await client.task.add("job", { id: "t", commandLine: "/bin/true", constraints: { retentionTime: "PT1H" } });
    await bed.waitFor(async () => (await client.task.get("job", "t")).state === "completed", "the task to complete");
    const nodeId = (await nodesOf("p"))[0]?.id as string;
    await client.pool.removeNodes("p", { nodeList: [nodeId], nodeDeallocationOption: "retaineddata" });
    await bed.clock.advance(30 * 60_000);
    expect((await client.computeNode.get("p", nodeId)).state).toBe("leavingpool");
    expect((await client.pool.get("p")).allocationState).toBe("resizing");
    await bed.clock.advance(30 * 60_000);
    const pool = await steadyWith("p", 0);
    expect(pool).toMatchObject({ targetDedicatedNodes: 0, currentDedicatedNodes: 0 });
  });

  it("refuses an unknown node, a pool that is not steady, and more than 100 nodes", async () => {
    const started = bed.runtime.holdNodeStarts();
    await client.pool.add({ id: "p", ...POOL, targetDedicatedNodes: 1 });
    const notSteady = await restErrorOf(client.pool.removeNodes("p", { nodeList: ["tvm-1"] }));
    expect([notSteady.statusCode, notSteady.code]).toEqual([409, "PoolNotSteady"]);
    started.open();
    await steadyWith("p", 1);
    const unknown = await restErrorOf(client.pool.removeNodes("p", { nodeList: ["tvm-nope"] }));
    expect([unknown.statusCode, unknown.code]).toEqual([404, "NodeNotFound"]);
    const many = Array.from({ length: 101 }, (_, i) => `tvm-${i}`);
    // @azure/batch itself refuses a nodeList of more than 100, or an unknown option, before sending it: the REST API does too.
    const batchFetch = signedFetcher(bed.account);
    const tooMany = await batchFetch("/pools/p/removenodes", { json: { nodeList: many } });
    expect([tooMany.status, (tooMany.json as { code: string }).code]).toEqual([400, "InvalidPropertyValue"]);
    const badOption = await batchFetch("/pools/p/removenodes", { json: { nodeList: ["x"], nodeDeallocationOption: "later" } });
    expect([badOption.status, (badOption.json as { code: string }).code]).toEqual([400, "InvalidPropertyValue"]);
    const noList = await batchFetch("/pools/p/removenodes", { json: {} });
    expect([noList.status, (noList.json as { code: string }).code]).toEqual([400, "MissingRequiredProperty"]);
    expect((await client.pool.get("p")).targetDedicatedNodes).toBe(1);
  });
});

describe("Pool_StopResize", () => {
  it("stopping, then steady at the nodes whose container is up, with ResizeStopped", async () => {
    await client.pool.add({ id: "p", ...POOL, targetDedicatedNodes: 1 });
    await steadyWith("p", 1);
    const started = bed.runtime.holdNodeStarts();
    await client.pool.resize("p", { targetDedicatedNodes: 3 });
    await client.pool.stopResize("p");
    const stopping = await client.pool.get("p");
    expect(stopping.allocationState).toBe("stopping");
    started.open();
    const pool = await steadyWith("p", 1);
    expect(pool).toMatchObject({ targetDedicatedNodes: 1, currentDedicatedNodes: 1 });
    expect(pool.resizeErrors).toEqual([expect.objectContaining({ code: "ResizeStopped" })]);
    // The next resize clears the errors.
    await client.pool.resize("p", { targetDedicatedNodes: 2 });
    expect((await steadyWith("p", 2)).resizeErrors).toBeUndefined();
  });

  it("on a steady pool changes nothing", async () => {
    await client.pool.add({ id: "p", ...POOL, targetDedicatedNodes: 1 });
    const before = await steadyWith("p", 1);
    await client.pool.stopResize("p");
    const after = await client.pool.get("p");
    expect(after).toMatchObject({ allocationState: "steady", targetDedicatedNodes: 1, eTag: before.eTag });
    expect(after.resizeErrors).toBeUndefined();
  });
});

describe("resizeTimeout", () => {
  it("nodes not up within the timeout: AllocationTimedout, steady at what the pool has, the target kept", async () => {
    await client.pool.add({ id: "p", ...POOL, targetDedicatedNodes: 1 });
    await steadyWith("p", 1);
    const started = bed.runtime.holdNodeStarts();
    await client.pool.resize("p", { targetDedicatedNodes: 3, resizeTimeout: "PT5M" });
    await bed.clock.advance(4 * 60_000);
    expect((await client.pool.get("p")).allocationState).toBe("resizing");
    await bed.clock.advance(60_000);
    const pool = await allocationOf("p", "steady");
    expect(pool.targetDedicatedNodes).toBe(3);
    expect(pool.resizeErrors).toEqual([
      { code: "AllocationTimedout", message: "Desired number of dedicated nodes could not be allocated as the resize timeout was reached" },
    ]);
    started.open();
    const settled = await bed.waitFor(async () => (await nodesOf("p")).length === 1 && client.pool.get("p"), "the late nodes to be gone");
    expect(settled).toMatchObject({ allocationState: "steady", currentDedicatedNodes: 1, targetDedicatedNodes: 3 });
  });

  it("is at least 5 minutes on add, resize and remove nodes", async () => {
    const onAdd = await restErrorOf(client.pool.add({ id: "p", ...POOL, targetDedicatedNodes: 1, resizeTimeout: "PT4M59S" }));
    expect([onAdd.statusCode, onAdd.code]).toEqual([400, "InvalidPropertyValue"]);
    await client.pool.add({ id: "p", ...POOL, targetDedicatedNodes: 1, resizeTimeout: "PT5M" });
    await steadyWith("p", 1);
    const [node] = await nodesOf("p");
    const onResize = await restErrorOf(client.pool.resize("p", { targetDedicatedNodes: 2, resizeTimeout: "PT1M" }));
    expect([onResize.statusCode, onResize.code]).toEqual([400, "InvalidPropertyValue"]);
    const onRemove = await restErrorOf(client.pool.removeNodes("p", { nodeList: [node?.id as string], resizeTimeout: "PT30S" }));
    expect([onRemove.statusCode, onRemove.code]).toEqual([400, "InvalidPropertyValue"]);
    expect(await client.pool.get("p")).toMatchObject({ allocationState: "steady", targetDedicatedNodes: 1 });
  });

  it("a growth done in time leaves no error", async () => {
    await client.pool.add({ id: "p", ...POOL, targetDedicatedNodes: 1, resizeTimeout: "PT5M" });
    await steadyWith("p", 1);
    await bed.clock.advance(10 * 60_000);
    const pool = await client.pool.get("p");
    expect(pool).toMatchObject({ allocationState: "steady", currentDedicatedNodes: 1 });
    expect(pool.resizeErrors).toBeUndefined();
  });
});
