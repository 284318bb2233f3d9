import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/core/backend.js";
import type { ContractTarget } from "./backend-contract.js";
import { uniqueId } from "./wait-until.js";
import { rejection } from "./batch-rejection.js";

/**
 * What every backend owes its users of autoscale, through the backend interface only, on a pool
 * whose formula keeps it at zero nodes (no node is waited for): enable, evaluate and disable, with
 * the results and errors the service reports (the evaluation cases are those of the
 * azure-sdk-for-js recordings against the real service).
 */
export function describeAutoScaleContract(target: ContractTarget): void {
  describe(`autoscale contract: ${target.name}`, () => {
    let backend: Backend;
    const poolId = uniqueId("autoscale");

    /** Starting a backend and deleting its pool may take long on a loaded machine. */
    const HOOK_TIMEOUT_MS = 120_000;

    beforeAll(async () => {
      backend = await target.start();
      await backend.batch.pool.add({ id: poolId, vmSize: "standard_d2s_v3", enableAutoScale: true, autoScaleFormula: "$TargetDedicatedNodes = 0" });
    }, HOOK_TIMEOUT_MS);

    afterAll(async () => {
      await backend?.batch.pool.delete(poolId).catch(() => undefined);
      await backend?.close();
    }, HOOK_TIMEOUT_MS);

    it("creates the pool with autoscale on, its formula and the default interval, and reports the first run", async () => {
      const pool = await backend.batch.pool.get(poolId);
      expect(pool).toMatchObject({ enableAutoScale: true, autoScaleFormula: "$TargetDedicatedNodes = 0", autoScaleEvaluationInterval: "PT15M" });
      expect(pool.autoScaleRun?.results).toMatch(/^\$TargetDedicatedNodes=0;\$TargetLowPriorityNodes=0;\$NodeDeallocationOption=requeue/);
    });

    it("evaluates a formula without applying it", async () => {
      const run = await backend.batch.pool.evaluateAutoScale(poolId, "$TargetDedicatedNodes=3");
      expect(run.error).toBeUndefined();
      expect(run.results).toBe("$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
      expect((await backend.batch.pool.get(poolId)).autoScaleFormula).toBe("$TargetDedicatedNodes = 0");
    });

    it("reports a formula that fails while it runs, or does not parse, as the run's error", async () => {
      const run = await backend.batch.pool.evaluateAutoScale(poolId, "$something_useless");
      expect(run.error?.code).toBe("AutoScalingFormulaEvaluationError");
      expect(run.results).toBe("$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
      const syntax = await backend.batch.pool.evaluateAutoScale(poolId, "$TargetDedicatedNodes = (1 +");
      expect(syntax.error?.code).toBe("AutoScalingFormulaSyntaxError");
    });

    it("refuses to enable a formula that does not parse (400 AutoScalingFormulaSyntaxError)", async () => {
      const syntax = await rejection(backend.batch.pool.enableAutoScale(poolId, { autoScaleFormula: "$TargetDedicatedNodes = (1 +" }));
      expect([syntax.statusCode, syntax.code]).toEqual([400, "AutoScalingFormulaSyntaxError"]);
    });

    it("changes the formula and interval on enable, and turns autoscale off on disable", async () => {
      await backend.batch.pool.enableAutoScale(poolId, {
        autoScaleFormula: "$TargetDedicatedNodes = min(0, $CurrentDedicatedNodes)",
        autoScaleEvaluationInterval: "PT6M",
      });
      expect(await backend.batch.pool.get(poolId)).toMatchObject({
        enableAutoScale: true,
        autoScaleFormula: "$TargetDedicatedNodes = min(0, $CurrentDedicatedNodes)",
        autoScaleEvaluationInterval: "PT6M",
      });
      await backend.batch.pool.disableAutoScale(poolId);
      const pool = await backend.batch.pool.get(poolId);
      expect(pool.enableAutoScale).toBe(false);
      expect(pool.autoScaleFormula).toBeUndefined();
    });
  });
}
