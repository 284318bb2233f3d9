import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/core/backend.js";
import type { ContractTarget } from "./backend-contract.js";
import { uniqueId } from "./wait-until.js";
import { rejection } from "./batch-rejection.js";

/**
 * What every backend owes its users of pool update, pool usage metrics and applications, through
 * the backend interface only, on a pool without nodes (nothing has to come up).
 */
export function describePoolUpdateContract(target: ContractTarget): void {
  describe(`pool update contract: ${target.name}`, () => {
    let backend: Backend;
    const poolId = uniqueId("pool");
    const HOOK_TIMEOUT_MS = 120_000;

    beforeAll(async () => {
      backend = await target.start();
      await backend.batch.pool.add({ id: poolId, vmSize: "standard_d2s_v3", targetDedicatedNodes: 0, metadata: [{ name: "a", value: "1" }] });
    }, HOOK_TIMEOUT_MS);

    afterAll(async () => {
      await backend?.batch.pool.delete(poolId).catch(() => undefined);
      await backend?.close();
    }, HOOK_TIMEOUT_MS);

    it("patch replaces what is given, keeps what is omitted, and returns the pool with a new ETag", async () => {
      const before = await backend.batch.pool.get(poolId);
      const patched = await backend.batch.pool.patch(poolId, { startTask: { commandLine: "/bin/bash -c 'echo start'" } });
      expect(patched.startTask?.commandLine).toBe("/bin/bash -c 'echo start'");
      expect(patched.metadata).toEqual([{ name: "a", value: "1" }]);
      expect(patched.eTag).not.toBe(before.eTag);
      const stale = await rejection(backend.batch.pool.patch(poolId, { metadata: [] }, { conditions: { ifMatch: before.eTag } }));
      expect([stale.statusCode, stale.code]).toEqual([412, "ConditionNotMet"]);
    });

    it("updateProperties replaces everything: the omitted start task is removed", async () => {
      const replaced = await backend.batch.pool.updateProperties(poolId, { metadata: [{ name: "b", value: "2" }] });
      expect(replaced.startTask).toBeUndefined();
      expect(replaced.metadata).toEqual([{ name: "b", value: "2" }]);
      expect((await backend.batch.pool.get(poolId)).metadata).toEqual([{ name: "b", value: "2" }]);
    });

    it("lists usage metrics and applications; a missing application is 404 ApplicationNotFound", async () => {
      expect(Array.isArray(await backend.batch.pool.listUsageMetrics())).toBe(true);
      expect(Array.isArray(await backend.batch.application.list())).toBe(true);
      const missing = await rejection(backend.batch.application.get(uniqueId("app")));
      expect([missing.statusCode, missing.code]).toEqual([404, "ApplicationNotFound"]);
    });
  });
}
