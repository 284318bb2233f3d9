/**
 * Disable and enable scheduling on a node through the official SDK (REST
 * `Nodes_DisableNodeScheduling`, `Nodes_EnableNodeScheduling`): `schedulingState` changes, no new
 * task starts on a disabled node, an idle one is `offline`, and the running tasks are requeued,
 * terminated or left to complete as `nodeDisableSchedulingOption` says.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, describe, expect, it } from "vitest";
import type { ComputeNode } from "../../../src/core/models/index.js";
import { waitFor } from "../../support/settle.js";
import { poolOfOneIdleNode } from "../../support/pool-of-one-idle-node.js";
import { startOn } from "../../support/start-on-data-dir.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
let client: BatchServiceClient;
afterEach(() => bed?.close());

async function onePool(): Promise<string> {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  const { nodes } = await bed.addPool("pool");
  await bed.addJob("job", "pool");
  return (nodes[0] as ComputeNode).id;
}

function nodeIn(nodeId: string, state: ComputeNode["state"]): Promise<ComputeNode> {
  return bed.waitFor(async () => {
    const node = await bed.batch.computeNode.get("pool", nodeId);
    return node.state === state && node;
  }, `node ${nodeId} to be ${state}`);
}

describe("node scheduling", () => {
  it("takes an idle node offline, keeps new tasks off it, and brings it back on enable", async () => {
    const nodeId = await onePool();
    await client.computeNode.disableScheduling("pool", nodeId);
    const offline = await client.computeNode.get("pool", nodeId);
    expect(offline).toMatchObject({ state: "offline", schedulingState: "disabled" });

    await client.task.add("job", { id: "t", commandLine: "true" });
    await bed.clock.advance(1_000);
    expect((await client.task.get("job", "t")).state).toBe("active");

    await client.computeNode.enableScheduling("pool", nodeId);
    expect((await client.computeNode.get("pool", nodeId)).schedulingState).toBe("enabled");
    await bed.taskIn("job", "t", "completed");
    await nodeIn(nodeId, "idle");
  });

  it("requeues the running task by default; the node is offline once it has stopped", async () => {
    const nodeId = await onePool();
    const held = bed.runtime.hold("work");
    await client.task.add("job", { id: "t", commandLine: "work" });
    await bed.waitFor(() => held.running.length === 1, "the task to run");
    await client.computeNode.disableScheduling("pool", nodeId);
    const node = await nodeIn(nodeId, "offline");
    expect(node).toMatchObject({ schedulingState: "disabled", runningTasksCount: 0 });
    const task = await bed.taskIn("job", "t", "active");
    expect(task.executionInfo?.requeueCount).toBe(1);
  });

  it("with terminate, ends the running task with the failure of a terminated task", async () => {
    const nodeId = await onePool();
    const held = bed.runtime.hold("work");
    await client.task.add("job", { id: "t", commandLine: "work" });
    await bed.waitFor(() => held.running.length === 1, "the task to run");
    await client.computeNode.disableScheduling("pool", nodeId, { nodeDisableSchedulingOption: "terminate" });
    const done = await bed.taskIn("job", "t", "completed");
    expect(done.executionInfo).toMatchObject({ result: "failure", failureInfo: { code: "TaskEnded" } });
    await nodeIn(nodeId, "offline");
  });

  it("with taskcompletion, lets the running task finish, then the node is offline", async () => {
    const nodeId = await onePool();
    const held = bed.runtime.hold("work");
    await client.task.add("job", { id: "t", commandLine: "work" });
    await bed.waitFor(() => held.running.length === 1, "the task to run");
    await client.computeNode.disableScheduling("pool", nodeId, { nodeDisableSchedulingOption: "taskcompletion" });
    expect(await client.computeNode.get("pool", nodeId)).toMatchObject({ state: "running", schedulingState: "disabled" });
    held.running[0]?.finish(0);
    expect((await bed.taskIn("job", "t", "completed")).executionInfo).toMatchObject({ result: "success" });
    await nodeIn(nodeId, "offline");
  });

  it("answers 409 NodeAlreadyInTargetSchedulingState when the node is already in that scheduling state", async () => {
    const nodeId = await onePool();
    await expect(client.computeNode.enableScheduling("pool", nodeId)).rejects.toMatchObject({ statusCode: 409, code: "NodeAlreadyInTargetSchedulingState" });
    await client.computeNode.disableScheduling("pool", nodeId);
    await expect(client.computeNode.disableScheduling("pool", nodeId)).rejects.toMatchObject({ statusCode: 409, code: "NodeAlreadyInTargetSchedulingState" });
  });

  it("keeps a disabled node offline across a reboot", async () => {
    const nodeId = await onePool();
    await client.computeNode.disableScheduling("pool", nodeId);
    await client.computeNode.reboot("pool", nodeId);
    await bed.waitFor(() => bed.runtime.nodeStarts.length === 2, "the node to be rebooted");
    expect(await nodeIn(nodeId, "offline")).toMatchObject({ schedulingState: "disabled" });
  });

  it("keeps a node's disabled scheduling across a restart of Malachite: it comes back offline", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-scheduling-"));
    try {
      const first = await startOn(dataDir);
      const nodeId = await poolOfOneIdleNode(first.backend.batch, "pool");
      await first.backend.batch.computeNode.disableScheduling("pool", nodeId);
      await first.backend.close();

      const second = await startOn(dataDir);
      try {
        const back = await waitFor(async () => {
          const restored = await second.backend.batch.computeNode.get("pool", nodeId);
          return second.runtime.nodeStarts.length === 1 && restored.state === "offline" && restored;
        });
        expect(back.schedulingState).toBe("disabled");
      } finally {
        await second.backend.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
