import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ComputeNode } from "../../../src/core/models/index.js";
import { settle } from "../../support/settle.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;

beforeEach(async () => {
  bed = await TestBed.start();
});

afterEach(async () => {
  await bed.close();
});

async function onlyNode(poolId: string): Promise<ComputeNode | undefined> {
  const nodes = await bed.batch.computeNode.list(poolId);
  return nodes.length === 1 ? nodes[0] : undefined;
}

function nodeIn(poolId: string, state: string): Promise<ComputeNode> {
  return bed.waitFor(async () => {
    const node = await onlyNode(poolId);
    return node?.state === state && node;
  }, `the node of ${poolId} to be ${state}`);
}

describe("node provisioning", () => {
  it("brings a node up creating → starting → idle and the pool to steady", async () => {
    const started = bed.runtime.holdNodeStarts();
    const pulled = bed.runtime.gate();
    bed.runtime.addImage("worker:1");
    const inspect = bed.runtime.inspectImage.bind(bed.runtime);
    bed.runtime.inspectImage = async (image) => (await pulled.opened, inspect(image));
    await bed.batch.pool.add({
      id: "p",
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 1,
      virtualMachineConfiguration: {
        imageReference: {},
        nodeAgentSKUId: "batch.node.ubuntu 22.04",
        containerConfiguration: { type: "dockerCompatible", containerImageNames: ["worker:1"] },
      },
    });

    await bed.waitFor(() => bed.runtime.nodeStarts.length === 1, "the node's container to be started");
    expect(bed.runtime.nodeStarts[0]?.labels["malachite.pool"]).toBe("p");
    expect((await onlyNode("p"))?.state).toBe("creating");
    expect((await bed.batch.pool.get("p")).allocationState).toBe("resizing");

    started.open();
    await nodeIn("p", "starting");
    pulled.open();
    const idle = await nodeIn("p", "idle");
    expect(idle.errors ?? []).toEqual([]);
    expect(await bed.batch.pool.get("p")).toMatchObject({ allocationState: "steady", currentDedicatedNodes: 1 });
  });

  it("holds tasks back while a start task with waitForSuccess runs, then runs them", async () => {
    const setup = bed.runtime.hold("setup");
    await bed.batch.pool.add({ id: "p", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1, startTask: { commandLine: "setup", waitForSuccess: true } });
    const waiting = await nodeIn("p", "waitingforstarttask");
    expect(waiting.startTaskInfo?.state).toBe("running");
    await bed.addJob("j", "p");
    await bed.batch.task.add("j", { id: "t", commandLine: "true" });
    await bed.waitFor(() => setup.running.length === 1, "the start task to run");
    await settle(20);
    expect((await bed.batch.task.get("j", "t")).state).toBe("active");

    setup.runs[0]?.finish(0);
    const idle = await nodeIn("p", "idle");
    expect(idle.startTaskInfo).toMatchObject({ state: "completed", exitCode: 0, result: "success", retryCount: 0 });
    const task = await bed.taskIn("j", "t", "completed");
    expect(task.executionInfo.result).toBe("success");
  });

  it("makes a node idle at once when the start task need not succeed first", async () => {
    const setup = bed.runtime.hold("setup");
    await bed.batch.pool.add({ id: "p", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1, startTask: { commandLine: "setup", waitForSuccess: false } });
    const idle = await nodeIn("p", "idle");
    expect(idle.startTaskInfo?.state).toBe("running");
    await bed.addJob("j", "p");
    await bed.batch.task.add("j", { id: "t", commandLine: "true" });
    await bed.taskIn("j", "t", "completed");
    expect(setup.running).toHaveLength(1);
    setup.runs[0]?.finish(1);
    const node = await bed.waitFor(async () => {
      const current = await onlyNode("p");
      return current?.startTaskInfo?.state === "completed" && current;
    }, "the start task to complete");
    expect(node).toMatchObject({ state: "idle", startTaskInfo: { exitCode: 1, result: "failure" } });
  });

  it("reports starttaskfailed after the start task's retries, with its output, and keeps tasks active", async () => {
    bed.runtime.programs.set("broken-setup", () => ({ exitCode: 7, stderr: "broken\n" }));
    await bed.batch.pool.add({
      id: "p",
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 1,
      startTask: { commandLine: "broken-setup --now", maxTaskRetryCount: 1, waitForSuccess: true },
    });
    await bed.addJob("j", "p");
    await bed.batch.task.add("j", { id: "waiting", commandLine: "true" });
    const node = await nodeIn("p", "starttaskfailed");
    expect(node.startTaskInfo).toMatchObject({ state: "completed", exitCode: 7, result: "failure", retryCount: 1, failureInfo: { code: "FailureExitCode" } });
    expect(bed.runtime.processes.map((p) => p.argv)).toEqual([
      ["broken-setup", "--now"],
      ["broken-setup", "--now"],
    ]);
    expect((await bed.batch.file.getFromComputeNode("p", node.id, "startup/stderr.txt")).toString()).toBe("broken\n");
    await settle(20);
    expect((await bed.batch.task.get("j", "waiting")).state).toBe("active");
  });

  it("makes a node unusable when its container cannot be started", async () => {
    bed.runtime.failNodeStarts("Error response from daemon: no space left on device");
    await bed.batch.pool.add({ id: "p", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
    const node = await nodeIn("p", "unusable");
    expect(node.errors).toHaveLength(1);
    expect(node.errors?.[0]?.message).toContain("no space left on device");
    expect(await bed.batch.pool.get("p")).toMatchObject({ allocationState: "steady", currentDedicatedNodes: 1 });
  });

  it("makes a node unusable with ContainerInvalidImage when a pool image is missing, without running the start task", async () => {
    bed.runtime.addImage("present:1");
    await bed.batch.pool.add({
      id: "p",
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 1,
      virtualMachineConfiguration: {
        imageReference: {},
        nodeAgentSKUId: "batch.node.ubuntu 22.04",
        containerConfiguration: { type: "dockerCompatible", containerImageNames: ["present:1", "missing:2"] },
      },
      startTask: { commandLine: "true" },
    });
    const node = await nodeIn("p", "unusable");
    const [error] = node.errors ?? [];
    expect(node.errors).toHaveLength(1);
    expect(error?.code).toBe("ContainerInvalidImage");
    expect(error?.message).toContain("missing:2");
    expect(error?.errorDetails?.[0]).toEqual({ name: "ContainerImage", value: "missing:2" });
    expect(error?.errorDetails?.[1]?.value).toContain("never pulls");
    expect(node.startTaskInfo).toBeUndefined();
    expect(bed.runtime.processes).toEqual([]);
  });
});
