/**
 * `GET /nodecounts` (REST `Pools_ListPoolNodeCounts`): nodes counted by state under the REST
 * `NodeCounts` names (camelCase: `startTaskFailed`, `leavingPool`, `waitingForStartTask`), with
 * `deallocated`, `deallocating` and `upgradingOS` from api-version 2024-07-01.20.0.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ComputeNode } from "../../../src/core/models/index.js";
import { signedFetcher } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
afterEach(() => bed?.close());

describe("pool node counts", () => {
  it("count a node whose start task failed as startTaskFailed, and an offline one, through the SDK", async () => {
    bed = await TestBed.start({ server: true });
    await bed.batch.pool.add({ id: "broken", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1, startTask: { commandLine: "false", waitForSuccess: true } });
    await bed.waitFor(async () => (await bed.batch.computeNode.list("broken"))[0]?.state === "starttaskfailed", "the start task to fail");
    const { nodes } = await bed.addPool("quiet");
    await bed.batch.computeNode.disableScheduling("quiet", (nodes[0] as ComputeNode).id);

    const client = await bed.client();
    const counts = [...(await client.account.listPoolNodeCounts())].sort((a, b) => a.poolId.localeCompare(b.poolId));
    expect(counts.map((c) => [c.poolId, c.dedicated?.startTaskFailed, c.dedicated?.offline, c.dedicated?.idle, c.dedicated?.total])).toEqual([
      ["broken", 1, 0, 0, 1],
      ["quiet", 0, 1, 0, 1],
    ]);
  });

  it("count deallocated nodes from api-version 2024-07-01.20.0, and not before", async () => {
    bed = await TestBed.start({ server: true });
    const { nodes } = await bed.addPool("pool");
    await bed.batch.computeNode.deallocate("pool", (nodes[0] as ComputeNode).id);
    await bed.waitFor(async () => (await bed.batch.computeNode.list("pool"))[0]?.state === "deallocated", "the node to be deallocated");
    const batch = signedFetcher(bed.account);
    const current = await batch("/nodecounts");
    expect(current.json).toMatchObject({ value: [{ poolId: "pool", dedicated: { deallocated: 1, deallocating: 0, upgradingOS: 0, idle: 0, total: 1 } }] });
    const older = await batch("/nodecounts", { apiVersion: "2023-05-01.17.0" });
    expect(Object.keys((older.json as { value: { dedicated: object }[] }).value[0]?.dedicated ?? {})).not.toContain("deallocated");
  });
});
