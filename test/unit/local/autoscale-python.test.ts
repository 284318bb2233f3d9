/**
 * Autoscale through the Python SDK (Debian's python3-azure, azure-batch 13.0.1) against the
 * in-process server on the fake node runtime: test/clients/python/autoscale.py.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithPython, pythonClientScript } from "../../support/describe-with-python.js";
import { runPythonSummary } from "../../support/python-client.js";
import { TestBed } from "../../support/test-bed.js";

const SCRIPT = pythonClientScript("autoscale.py");

describeWithPython("autoscale through the Python SDK", () => {
  let bed: TestBed;

  beforeAll(async () => {
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
