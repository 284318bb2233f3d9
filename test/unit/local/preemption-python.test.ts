/**
 * Preemption of a Spot node through the Python SDK (Debian's python3-azure, azure-batch 13.0.1)
 * against the in-process server on the fake node runtime: test/clients/python/preemption.py.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { NODE_RECOVERY_DELAY_MS } from "../../../src/backends/local/services/node-health.js";
import { describeWithPython, pythonClientScript } from "../../support/describe-with-python.js";
import { runPythonSummary } from "../../support/python-client.js";
import { TestBed } from "../../support/test-bed.js";

const SCRIPT = pythonClientScript("preemption.py");

describeWithPython("Spot preemption through the Python SDK", () => {
  let bed: TestBed;

  beforeAll(async () => {
    bed = await TestBed.start({ server: true });
    // Runs until its node is preempted (its process killed) while no node of the pool has been; the requeued run succeeds.
    bed.runtime.programs.set("spot-work", async () => {
      const preempted = (await bed.batch.computeNode.list("spot")).some((node) => node.state === "preempted");
      return preempted ? { exitCode: 0 } : new Promise<never>(() => undefined);
    });
  });

  afterAll(async () => {
    await bed?.close();
  });

  it("a preempted Spot node's task is requeued and completes on another node; dedicated nodes are never preempted", { timeout: 120_000 }, async () => {
    const summary = await runPythonSummary<{ victim: string } & Record<string, unknown>>(SCRIPT, bed.account);
    expect(summary).toEqual({
      pool: { dedicated: 0, lowPriority: 2, isDedicated: [false] },
      dedicatedRefused: [409, "OperationInvalidForCurrentState"],
      preempt: [204, null],
      task: { result: "success", exitCode: 0, requeueCount: 1, retryCount: 0, otherNode: true },
      counts: { lowPriorityPreempted: 1, lowPriorityIdle: 1, lowPriorityTotal: 2, dedicatedTotal: 0 },
      after: { lowPriority: 2, allocation: "steady" },
      victim: expect.any(String),
    });
    // The service brings the node back later: here after the recovery delay on the backend's clock.
    await bed.clock.advance(NODE_RECOVERY_DELAY_MS);
    await bed.waitFor(async () => (await bed.batch.computeNode.get("spot", summary.victim)).state === "idle", "the preempted node to be back");
  });
});
