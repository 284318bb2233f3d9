/**
 * Deallocate and start a node (REST `Nodes_DeallocateNode`, `Nodes_StartNode`, api-version
 * 2024-07-01.20.0 and later; @azure/batch 10.2.0 has neither, so these go through signed REST):
 * `deallocating` → `deallocated` with the container removed and the directory kept; start
 * brings it back through `starting` and the start task; a deallocated node stays so across a
 * restart of Malachite.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ComputeNode } from "../../../src/core/models/index.js";
import { signedFetcher, type BatchFetch } from "../../support/signed-fetch.js";
import { poolOfOneIdleNode } from "../../support/pool-of-one-idle-node.js";
import { startOn } from "../../support/start-on-data-dir.js";
import { TestBed } from "../../support/test-bed.js";
import { waitFor } from "../../support/settle.js";

let bed: TestBed;
let batch: BatchFetch;
afterEach(() => bed?.close());

function nodeIn(nodeId: string, state: ComputeNode["state"]): Promise<ComputeNode> {
  return bed.waitFor(async () => {
    const node = await bed.batch.computeNode.get("pool", nodeId);
    return node.state === state && node;
  }, `node ${nodeId} to be ${state}`);
}

describe("node deallocate and start", () => {
  it("deallocates a node (container gone, directory kept, tasks requeued) and starts it again with its start task", async () => {
    bed = await TestBed.start({ server: true });
    batch = signedFetcher(bed.account);
    let setups = 0;
    bed.runtime.programs.set("setup", () => {
      setups++;
      return {};
    });
    const held = bed.runtime.hold("work");
    const { nodes } = await bed.addPool("pool", { startTask: { commandLine: "setup" } });
    const nodeId = (nodes[0] as ComputeNode).id;
    const hostRoot = bed.runtime.nodeStarts[0]?.hostNodeRootDir as string;
    await writeFile(path.join(hostRoot, "shared", "kept.txt"), "kept");
    await bed.addJob("job", "pool");
    await bed.batch.task.add("job", { id: "t", commandLine: "work" });
    await bed.waitFor(() => held.running.length === 1, "the task to run");
    const container = [...bed.runtime.nodes.keys()][0];

    const answer = await batch(`/pools/pool/nodes/${nodeId}/deallocate`, { json: {} });
    expect(answer.status).toBe(202);
    expect(answer.headers.get("dataserviceid")).toContain(`/pools/pool/nodes/${nodeId}`);
    await nodeIn(nodeId, "deallocated");
    expect(bed.runtime.removed).toContain(container);
    expect(await readFile(path.join(hostRoot, "shared", "kept.txt"), "utf8")).toBe("kept");
    expect((await bed.taskIn("job", "t", "active")).executionInfo?.requeueCount).toBe(1);
    await bed.clock.advance(60_000);
    expect(bed.runtime.nodeStarts).toHaveLength(1);

    // Only a deallocated node can be started; a deallocated one cannot be rebooted.
    expect((await batch(`/pools/pool/nodes/${nodeId}/reboot`, { json: {} })).json).toMatchObject({ code: "OperationInvalidForCurrentState" });
    expect((await batch(`/pools/pool/nodes/${nodeId}/start`, { method: "POST" })).status).toBe(202);
    await bed.waitFor(() => held.running.length === 1, "the requeued task to run on the started node");
    expect(setups).toBe(2);
    const again = await batch(`/pools/pool/nodes/${nodeId}/start`, { method: "POST" });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ code: "OperationInvalidForCurrentState" });
  });

  it("is no operation before api-version 2024-07-01.20.0", async () => {
    bed = await TestBed.start({ server: true });
    batch = signedFetcher(bed.account);
    const { nodes } = await bed.addPool("pool");
    const response = await batch(`/pools/pool/nodes/${(nodes[0] as ComputeNode).id}/deallocate`, { json: {}, apiVersion: "2023-05-01.17.0" });
    expect(response.status).toBe(404);
    expect((await bed.batch.computeNode.get("pool", (nodes[0] as ComputeNode).id)).state).toBe("idle");
  });

  it("keeps a deallocated node deallocated across a restart of Malachite", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-dealloc-"));
    try {
      const first = await startOn(dataDir);
      const nodeId = await poolOfOneIdleNode(first.backend.batch, "pool");
      await first.backend.batch.computeNode.deallocate("pool", nodeId);
      await waitFor(async () => (await first.backend.batch.computeNode.get("pool", nodeId)).state === "deallocated");
      await first.backend.close();

      const second = await startOn(dataDir);
      try {
        expect((await second.backend.batch.computeNode.get("pool", nodeId)).state).toBe("deallocated");
        expect(second.runtime.nodeStarts).toHaveLength(0);
        await second.backend.batch.computeNode.start("pool", nodeId);
        await waitFor(async () => (await second.backend.batch.computeNode.get("pool", nodeId)).state === "idle");
        expect(second.runtime.nodeStarts).toHaveLength(1);
      } finally {
        await second.backend.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
