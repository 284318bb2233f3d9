/**
 * Autoscale through the Python SDK (Debian's python3-azure, azure-batch 13.0.1) against the
 * in-process server on the fake node runtime: test/clients/python/autoscale.py.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IN_CI, missingPythonClient, runPythonSummary } from "../../support/python-client.js";
import { TestBed } from "../../support/test-bed.js";

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../clients/python/autoscale.py");

const missing = missingPythonClient();
if (missing && !IN_CI) console.warn(`autoscale-python.test.ts skipped: ${missing}`);

describe.skipIf(missing !== undefined && !IN_CI)(`autoscale through the Python SDK${missing ? ` [${missing}]` : ""}`, () => {
  let bed: TestBed;

  beforeAll(async () => {
    if (missing) throw new Error(`CI=${process.env.CI}: the Python client must be installed (.ci/run installs python3-azure): ${missing}`);
    bed = await TestBed.start({ server: true });
  });

  afterAll(async () => {
    await bed?.close();
  });

  it("pool add with a formula, enable_auto_scale, evaluate_auto_scale, auto_scale_run, the errors and disable_auto_scale", { timeout: 120_000 }, async () => {
    const summary = await runPythonSummary<Record<string, unknown>>(SCRIPT, bed.account);
    expect(summary).toEqual({
      added: { enabled: true, interval: "0:05:00", results: "$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue", error: null },
      enabled: {
        enabled: true,
        interval: "0:10:00",
        variables: [
          "$TargetDedicatedNodes",
          "$TargetLowPriorityNodes",
          "$NodeDeallocationOption",
          "$curTime",
          "$isWeekday",
          "$isWorkingWeekdayHour",
          "$workHours",
        ],
        target: true,
      },
      evaluated: { results: "$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$half=1.5", error: null },
      evaluationError: {
        code: "AutoScalingFormulaEvaluationError",
        results: "$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue",
      },
      syntaxError: {
        code: "AutoScalingFormulaSyntaxError",
        values: [
          ["Message", "Expected ',' or ')'"],
          ["Line", "1"],
          ["Position", "30"],
        ],
      },
      errors: {
        syntax: [400, "AutoScalingFormulaSyntaxError"],
        resize: [409, "OperationNotValidOnPool"],
        interval: [400, "InvalidPropertyValue"],
        targets: [400, "InvalidPropertyValue"],
      },
      disabled: { enabled: false, formula: null, run: null },
    });
  });
});
