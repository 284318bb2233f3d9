import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/core/backend.js";
import type { CloudPool, ComputeNode } from "../../src/core/models/index.js";
import type { ContractTarget } from "./backend-contract.js";
import { uniqueId, waitUntil as realTimeWaitUntil } from "./wait-until.js";
import { rejection } from "./batch-rejection.js";

/**
 * Pool sizing as every backend owes it, through the backend interface only: dedicated and
 * Spot/low-priority nodes, Pool_RemoveNodes and Pool_StopResize.
 */
export function describePoolSizingContract(target: ContractTarget): void {
  describe(`pool sizing: ${target.name}`, () => {
    let backend: Backend;
    let poolId: string;
    const waitUntil = target.waitUntil ?? realTimeWaitUntil;

    /** The pool once steady with `count` nodes, all idle. */
    async function steadyWith(count: number): Promise<{ pool: CloudPool; nodes: ComputeNode[] }> {
      const nodes = await waitUntil(
        async () => ((await backend.batch.pool.get(poolId)).allocationState === "steady" ? backend.batch.computeNode.list(poolId) : []),
        (list) => list.length === count && list.every((node) => node.state === "idle"),
        { timeoutMs: 2 * target.nodeTimeoutMs, what: `the pool steady with ${count} idle node(s)` },
      );
      return { pool: await backend.batch.pool.get(poolId), nodes };
    }

    beforeAll(
      async () => {
        backend = await target.start();
        poolId = uniqueId("sizing-pool");
        await backend.batch.pool.add({ id: poolId, vmSize: "standard_d2s_v3", targetDedicatedNodes: 1, targetLowPriorityNodes: 1 });
      },
      Math.max(60_000, 2 * target.nodeTimeoutMs + 30_000),
    );

    afterAll(async () => {
      await backend?.close();
    });

    it("brings up dedicated and Spot nodes, counted by kind", async () => {
      const { pool, nodes } = await steadyWith(2);
      expect(pool).toMatchObject({ targetDedicatedNodes: 1, targetLowPriorityNodes: 1, currentDedicatedNodes: 1, currentLowPriorityNodes: 1 });
      expect(nodes.map((node) => node.isDedicated).sort()).toEqual([false, true]);
    });

    it("stop resize on a steady pool changes nothing", async () => {
      await backend.batch.pool.stopResize(poolId);
      const { pool } = await steadyWith(2);
      expect(pool).toMatchObject({ targetDedicatedNodes: 1, targetLowPriorityNodes: 1 });
    });

    it("removes a named node: the target of its kind drops; an unknown node is NodeNotFound", async () => {
      const unknown = await rejection(backend.batch.pool.removeNodes(poolId, { nodeList: ["tvm-0000000000_9-20250101t000000z"] }));
      expect([unknown.statusCode, unknown.code]).toEqual([404, "NodeNotFound"]);
      const spot = (await backend.batch.computeNode.list(poolId)).find((node) => node.isDedicated === false) as ComputeNode;
      await backend.batch.pool.removeNodes(poolId, { nodeList: [spot.id], nodeDeallocationOption: "requeue" });
      const notSteady = await rejection(backend.batch.pool.resize(poolId, { targetDedicatedNodes: 2 }));
      expect([notSteady.statusCode, notSteady.code]).toEqual([409, "PoolNotSteady"]);
      const { pool, nodes } = await steadyWith(1);
      expect(pool).toMatchObject({ targetDedicatedNodes: 1, targetLowPriorityNodes: 0, currentDedicatedNodes: 1, currentLowPriorityNodes: 0 });
      expect(nodes[0]?.isDedicated).toBe(true);
    });

    it("a stopped resize ends steady with the targets where it stopped", async () => {
      await backend.batch.pool.resize(poolId, { targetDedicatedNodes: 2 });
      await backend.batch.pool.stopResize(poolId);
      const pool = await waitUntil(
        () => backend.batch.pool.get(poolId),
        (got) => got.allocationState === "steady" && got.currentDedicatedNodes === got.targetDedicatedNodes,
        { timeoutMs: 2 * target.nodeTimeoutMs, what: "the pool steady after the stop" },
      );
      expect([1, 2]).toContain(pool.targetDedicatedNodes);
      // Stopped before the second node was allocated: the service says so.
      if (pool.targetDedicatedNodes === 1) expect(pool.resizeErrors?.[0]?.code).toBe("ResizeStopped");
    });
  });
}
