import { afterEach, describe, expect, it } from "vitest";
import { NODE_RECOVERY_DELAY_MS } from "../../../src/backends/local/services/node-health.js";
import type { ComputeNode } from "../../../src/core/models/index.js";
import { signedFetcher } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
afterEach(() => bed?.close());

describe("POST /malachite/faults", () => {
  it("kills a node through the REST API, signed like any request; the SDK sees it unusable, then back", async () => {
    bed = await TestBed.start({ server: true });
    const { nodes } = await bed.addPool("pool");
    const nodeId = (nodes[0] as ComputeNode).id;
    const batchFetch = signedFetcher(bed.account);
    const response = await batchFetch("/malachite/faults", { json: { type: "killNode", poolId: "pool", nodeId } });
    expect(response.status).toBe(204);
    const client = await bed.client();
    const lost = await bed.waitFor(async () => {
      const node = await client.computeNode.get("pool", nodeId);
      return node.state === "unusable" && node;
    }, "the node to be unusable");
    expect(lost.errors?.[0]?.code).toBe("NodeUnreachable");
    await bed.clock.advance(NODE_RECOVERY_DELAY_MS);
    await bed.waitFor(async () => (await client.computeNode.get("pool", nodeId)).state === "idle", "the node to be back");
  });

  it("refuses unsigned requests, unknown fault types and missing fields in the Batch error format", async () => {
    bed = await TestBed.start({ server: true });
    await bed.addPool("pool");
    const batchFetch = signedFetcher(bed.account);
    const unsigned = await batchFetch("/malachite/faults", { json: { type: "killNode", poolId: "pool", nodeId: "n" }, sign: false });
    expect(unsigned.status).toBe(403);
    const unknown = await batchFetch("/malachite/faults", { json: { type: "meteorStrike", poolId: "pool" } });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ code: "InvalidPropertyValue" });
    const missing = await batchFetch("/malachite/faults", { json: { type: "killNode", poolId: "pool" } });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ code: "MissingRequiredProperty" });
    const noNode = await batchFetch("/malachite/faults", { json: { type: "killNode", poolId: "pool", nodeId: "nope" } });
    expect(noNode.status).toBe(404);
    expect(noNode.json).toMatchObject({ code: "NodeNotFound" });
  });
});
