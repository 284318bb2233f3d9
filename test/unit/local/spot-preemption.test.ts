import { afterEach, describe, expect, it } from "vitest";
import { PREEMPTION_CHECK_INTERVAL_MS } from "../../../src/backends/local/services/spot-preemption.js";
import type { ComputeNode } from "../../../src/core/models/index.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
afterEach(() => bed?.close());

/** The states of the pool's nodes after each check interval, `checks` of them. */
async function statesOver(checks: number): Promise<string[][]> {
  const seen: string[][] = [];
  for (let i = 0; i < checks; i++) {
    await bed.clock.advance(PREEMPTION_CHECK_INTERVAL_MS);
    const nodes = await bed.batch.computeNode.list("pool");
    seen.push(nodes.map((node: ComputeNode) => `${node.isDedicated ? "dedicated" : "spot"}:${node.state}`));
  }
  return seen;
}

describe("random Spot preemption (local.spotPreemptionRatePerHour)", () => {
  it("evicts Spot nodes on the backend's clock, never dedicated ones, and the evicted nodes come back", async () => {
    bed = await TestBed.start({ local: { spotPreemptionRatePerHour: 30, spotPreemptionSeed: 42 } });
    await bed.addPool("pool", { targetDedicatedNodes: 2, targetLowPriorityNodes: 2 });
    const seen = (await statesOver(10)).flat();
    expect(seen).toContain("spot:preempted");
    expect(seen.filter((entry) => entry.startsWith("dedicated:")).every((entry) => entry === "dedicated:idle")).toBe(true);
    // Preempted nodes are brought back (NodeHealth's recovery delay is shorter than the check interval).
    expect(seen.filter((entry) => entry === "spot:idle").length).toBeGreaterThan(0);
  });

  it("the same seed evicts the same way; a rate of 0 evicts nothing", async () => {
    const runs: string[][][] = [];
    for (let i = 0; i < 2; i++) {
      bed = await TestBed.start({ local: { spotPreemptionRatePerHour: 20, spotPreemptionSeed: 7 } });
      await bed.addPool("pool", { targetDedicatedNodes: 0, targetLowPriorityNodes: 3 });
      runs.push(await statesOver(6));
      await bed.close();
    }
    expect(runs[1]).toEqual(runs[0]);
    bed = await TestBed.start({ local: { spotPreemptionRatePerHour: 0 } });
    await bed.addPool("pool", { targetDedicatedNodes: 0, targetLowPriorityNodes: 2 });
    expect((await statesOver(30)).flat().every((entry) => entry === "spot:idle")).toBe(true);
  });
});
