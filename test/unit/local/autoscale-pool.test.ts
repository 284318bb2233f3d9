/**
 * Autoscale pools through the official JS SDK on the in-process server, with the fake clock:
 * the formula runs at add/enable and every `autoScaleEvaluationInterval`, its targets resize the
 * pool, `evaluateautoscale` answers without applying, `disableautoscale` hands the size back.
 */
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HeldProgram } from "../../support/held-program.js";
import { restErrorOf } from "../../support/rejection-of.js";
import { TestBed } from "../../support/test-bed.js";

const MINUTE = 60_000;
const PENDING_FORMULA = "$TargetDedicatedNodes = min(3, $PendingTasks.GetSample(1));\n$NodeDeallocationOption = taskcompletion;";

let bed: TestBed;
let client: BatchServiceClient;
let work: HeldProgram;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  work = bed.runtime.hold("work");
});

afterEach(async () => {
  await bed.close();
});

async function addAutoScalePool(id: string, formula = PENDING_FORMULA, interval = "PT5M"): Promise<void> {
  await client.pool.add({ id, vmSize: "standard_d2s_v3", enableAutoScale: true, autoScaleFormula: formula, autoScaleEvaluationInterval: interval });
}

function idleNodes(poolId: string, count: number) {
  return bed.waitFor(async () => {
    const nodes = await bed.batch.computeNode.list(poolId);
    const pool = await bed.batch.pool.get(poolId);
    return nodes.length === count && nodes.every((node) => node.state === "idle" || node.state === "running") && pool.allocationState === "steady" && pool;
  }, `${count} node(s) in pool ${poolId}`);
}

describe("an autoscale pool", () => {
  it("is created with its formula evaluated at once, then grows when tasks queue and shrinks when they are done", async () => {
    await addAutoScalePool("p");
    const created = await client.pool.get("p");
    expect(created).toMatchObject({ enableAutoScale: true, autoScaleFormula: PENDING_FORMULA, autoScaleEvaluationInterval: "PT5M", targetDedicatedNodes: 0 });
    expect(created.autoScaleRun?.results).toBe("$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion");
    expect(created.autoScaleRun?.timestamp.toISOString()).toBe(bed.clock.iso());
    expect(created.autoScaleRun?.error).toBeUndefined();

    await client.job.add({ id: "j", poolInfo: { poolId: "p" } });
    for (const id of ["a", "b"]) await client.task.add("j", { id, commandLine: "work" });
    await bed.clock.advance(5 * MINUTE);
    expect((await client.pool.get("p")).targetDedicatedNodes).toBe(2);
    await idleNodes("p", 2);
    (await work.started("a")).finish(0);
    (await work.started("b")).finish(0);
    await bed.taskIn("j", "b", "completed");

    await bed.clock.advance(5 * MINUTE);
    const shrunk = await client.pool.get("p");
    expect(shrunk.targetDedicatedNodes).toBe(0);
    expect(shrunk.autoScaleRun?.results).toMatch(/^\$TargetDedicatedNodes=0;/);
    await idleNodes("p", 0);
  });

  it("runs the formula once per interval on the backend's clock", async () => {
    await addAutoScalePool("p", "$TargetDedicatedNodes = 0", "PT10M");
    const first = (await client.pool.get("p")).autoScaleRun?.timestamp.toISOString();
    await bed.clock.advance(10 * MINUTE - 1000);
    expect((await client.pool.get("p")).autoScaleRun?.timestamp.toISOString()).toBe(first);
    await bed.clock.advance(1000);
    expect((await client.pool.get("p")).autoScaleRun?.timestamp.toISOString()).toBe(bed.clock.iso());
  });

  it("a new interval on enableautoscale starts a new schedule from now; a new formula alone keeps the schedule", async () => {
    await addAutoScalePool("p", "$TargetDedicatedNodes = 0", "PT10M");
    await bed.clock.advance(4 * MINUTE);
    await client.pool.enableAutoScale("p", { autoScaleFormula: "$TargetDedicatedNodes = 1" });
    expect((await client.pool.get("p")).autoScaleRun?.results).toMatch(/^\$TargetDedicatedNodes=1;/);
    const enabledAt = bed.clock.iso();
    await bed.clock.advance(6 * MINUTE);
    expect((await client.pool.get("p")).autoScaleRun?.timestamp.toISOString()).toBe(bed.clock.iso());

    await client.pool.enableAutoScale("p", { autoScaleEvaluationInterval: "PT5M" });
    const restarted = bed.clock.now();
    await bed.clock.advance(5 * MINUTE - 1000);
    expect((await client.pool.get("p")).autoScaleRun?.timestamp.getTime()).toBe(restarted);
    await bed.clock.advance(1000);
    const pool = await client.pool.get("p");
    expect(pool).toMatchObject({ autoScaleFormula: "$TargetDedicatedNodes = 1", autoScaleEvaluationInterval: "PT5M" });
    expect(pool.autoScaleRun?.timestamp.getTime()).toBe(restarted + 5 * MINUTE);
    expect(enabledAt).not.toBe(pool.autoScaleRun?.timestamp.toISOString());
  });

  it("reports a formula that fails while it runs as the run's error and keeps the pool's size", async () => {
    await addAutoScalePool("p", "$TargetDedicatedNodes = avg($CPUPercent.GetSample(TimeInterval_Minute * 10, 90))");
    const run = (await client.pool.get("p")).autoScaleRun;
    expect(run?.error).toMatchObject({ code: "AutoScalingFormulaEvaluationError" });
    expect(run?.error?.values?.find((value) => value.name === "Message")?.value).toMatch(/\$CPUPercent.GetSample: insufficient samples/);
    expect(run?.results).toBe("$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
    expect((await client.pool.get("p")).targetDedicatedNodes).toBe(0);
  });

  it("reads the nodes' resource use the runtime reports ($CPUPercent)", async () => {
    bed.runtime.stats = { cpuPercent: 80, memoryBytes: 1024 };
    await addAutoScalePool("p", "$TargetDedicatedNodes = $CurrentDedicatedNodes == 0 ? 1 : (max($CPUPercent.GetSample(1)) > 70 ? 2 : 1)");
    await idleNodes("p", 1);
    await bed.clock.advance(5 * MINUTE);
    expect((await client.pool.get("p")).targetDedicatedNodes).toBe(2);
    const run = await client.pool.evaluateAutoScale(
      "p",
      "$TargetDedicatedNodes = 0; cpu = avg($CPUPercent.GetSample(1)); memory = avg($MemoryBytes.GetSample(1))",
    );
    expect(run.results).toBe("$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;cpu=80;memory=1024");
  });
});

describe("the task metrics", () => {
  it("count the pool's tasks every 30 seconds: active ones whose dependencies are met, running, succeeded and failed", async () => {
    await addAutoScalePool("p", "$TargetDedicatedNodes = 1");
    await idleNodes("p", 1);
    await client.job.add({ id: "j", poolInfo: { poolId: "p" }, usesTaskDependencies: true });
    await client.task.add("j", { id: "ok", commandLine: "true" });
    await client.task.add("j", { id: "bad", commandLine: "false" });
    await bed.taskIn("j", "bad", "completed");
    await client.task.add("j", { id: "first", commandLine: "work" });
    await client.task.add("j", { id: "then", commandLine: "true", dependsOn: { taskIds: ["first"] } });
    await client.task.add("j", { id: "queued", commandLine: "true", multiInstanceSettings: { numberOfInstances: 2, coordinationCommandLine: "true" } });
    await work.started("first");
    const read =
      "a = $ActiveTasks.GetSample(1); r = $RunningTasks.GetSample(1); p = $PendingTasks.GetSample(1); s = $SucceededTasks.GetSample(1); f = $FailedTasks.GetSample(1); n = $SampleNodeCount.GetSample(1)";
    const before = await client.pool.evaluateAutoScale("p", read);
    expect(before.results).toContain("a=[0];f=[0];n=[0];p=[0];r=[0];s=[0]");
    await bed.clock.advance(30_000);
    const after = await client.pool.evaluateAutoScale("p", read);
    expect(after.results).toContain("a=[2];f=[1];n=[1];p=[3];r=[1];s=[1]");
  });
});

describe("evaluateautoscale", () => {
  it("answers the run of a formula without applying it", async () => {
    await addAutoScalePool("p", "$TargetDedicatedNodes = 0");
    const run = await client.pool.evaluateAutoScale("p", "$TargetDedicatedNodes = 3; $extra = $TargetDedicatedNodes * 2");
    expect(run.error).toBeUndefined();
    expect(run.results).toBe("$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$extra=6");
    expect(run.timestamp.toISOString()).toBe(bed.clock.iso());
    const pool = await client.pool.get("p");
    expect(pool.targetDedicatedNodes).toBe(0);
    expect(pool.autoScaleFormula).toBe("$TargetDedicatedNodes = 0");
  });

  it("answers an evaluation error in the run, with the pool's current targets as results", async () => {
    await addAutoScalePool("p", "$TargetDedicatedNodes = 2");
    const run = await client.pool.evaluateAutoScale("p", "$something_useless");
    expect(run.error?.code).toBe("AutoScalingFormulaEvaluationError");
    expect(run.results).toBe("$TargetDedicatedNodes=2;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
  });

  it("answers a formula with a syntax error as the run's AutoScalingFormulaSyntaxError; refuses a pool without autoscale (409)", async () => {
    await addAutoScalePool("p", "$TargetDedicatedNodes = 0");
    const syntax = await client.pool.evaluateAutoScale("p", "$TargetDedicatedNodes = (1 +");
    expect(syntax.error).toEqual({
      code: "AutoScalingFormulaSyntaxError",
      message: "The specified auto-scaling formula has a syntax error.",
      values: [
        { name: "Message", value: "Unexpected end of formula" },
        { name: "Line", value: "1" },
        { name: "Position", value: "29" },
      ],
    });
    expect(syntax.results).toBe("$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
    const tooLong = await restErrorOf(client.pool.evaluateAutoScale("p", `$TargetDedicatedNodes = 0;${" ".repeat(8192)}`));
    expect([tooLong.statusCode, tooLong.code]).toEqual([400, "AutoScaleFormulaTooLong"]);
    await client.pool.add({ id: "fixed", vmSize: "standard_d2s_v3", targetDedicatedNodes: 0 });
    const fixed = await restErrorOf(client.pool.evaluateAutoScale("fixed", "$TargetDedicatedNodes = 0"));
    expect([fixed.statusCode, fixed.code]).toEqual([409, "OperationNotValidOnPool"]);
    const missing = await restErrorOf(client.pool.evaluateAutoScale("nosuch", "$TargetDedicatedNodes = 0"));
    expect([missing.statusCode, missing.code]).toEqual([404, "PoolNotFound"]);
  });
});

describe("enableautoscale and disableautoscale on an existing pool", () => {
  it("takes a fixed pool to its formula's size, refuses resize meanwhile, and hands the size back when disabled", async () => {
    await client.pool.add({ id: "p", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
    await idleNodes("p", 1);
    await client.pool.enableAutoScale("p", { autoScaleFormula: "$TargetDedicatedNodes = 2" });
    expect(await client.pool.get("p")).toMatchObject({ enableAutoScale: true, autoScaleEvaluationInterval: "PT15M", targetDedicatedNodes: 2 });
    await idleNodes("p", 2);

    const resize = await restErrorOf(client.pool.resize("p", { targetDedicatedNodes: 1 }));
    expect([resize.statusCode, resize.code]).toEqual([409, "OperationNotValidOnPool"]);

    await client.pool.disableAutoScale("p");
    const disabled = await client.pool.get("p");
    expect(disabled).toMatchObject({ enableAutoScale: false, targetDedicatedNodes: 2 });
    expect(disabled.autoScaleFormula).toBeUndefined();
    expect(disabled.autoScaleRun).toBeUndefined();
    await bed.clock.advance(30 * MINUTE);
    expect((await client.pool.get("p")).targetDedicatedNodes).toBe(2);
    await client.pool.resize("p", { targetDedicatedNodes: 1 });
    await idleNodes("p", 1);
  });

  it("refuses what the service refuses", async () => {
    await client.pool.add({ id: "p", vmSize: "standard_d2s_v3", targetDedicatedNodes: 0 });
    const noFormula = await restErrorOf(client.pool.enableAutoScale("p", { autoScaleEvaluationInterval: "PT5M" }));
    expect([noFormula.statusCode, noFormula.code]).toEqual([400, "MissingRequiredProperty"]);
    const short = await restErrorOf(client.pool.enableAutoScale("p", { autoScaleFormula: "$TargetDedicatedNodes = 0", autoScaleEvaluationInterval: "PT4M" }));
    expect([short.statusCode, short.code]).toEqual([400, "InvalidPropertyValue"]);
    const long = await restErrorOf(client.pool.enableAutoScale("p", { autoScaleFormula: "$TargetDedicatedNodes = 0", autoScaleEvaluationInterval: "PT169H" }));
    expect([long.statusCode, long.code]).toEqual([400, "InvalidPropertyValue"]);
    const syntax = await restErrorOf(client.pool.enableAutoScale("p", { autoScaleFormula: "$TargetDedicatedNodes = = 1" }));
    expect([syntax.statusCode, syntax.code]).toEqual([400, "AutoScalingFormulaSyntaxError"]);
    expect((await client.pool.get("p")).enableAutoScale).toBe(false);
  });
});

describe("pool add with enableAutoScale", () => {
  it("refuses target node counts, a missing formula, an interval out of range and a formula that does not parse", async () => {
    const base = { vmSize: "standard_d2s_v3", enableAutoScale: true, autoScaleFormula: "$TargetDedicatedNodes = 0" };
    const targets = await restErrorOf(client.pool.add({ id: "a", ...base, targetDedicatedNodes: 1 }));
    expect([targets.statusCode, targets.code]).toEqual([400, "InvalidPropertyValue"]);
    expect(targets.body).toMatchObject({ values: expect.arrayContaining([{ key: "PropertyName", value: "targetDedicatedNodes" }]) as unknown });
    const noFormula = await restErrorOf(client.pool.add({ id: "b", vmSize: "standard_d2s_v3", enableAutoScale: true }));
    expect([noFormula.statusCode, noFormula.code]).toEqual([400, "MissingRequiredProperty"]);
    const interval = await restErrorOf(client.pool.add({ id: "c", ...base, autoScaleEvaluationInterval: "PT1M" }));
    expect([interval.statusCode, interval.code]).toEqual([400, "InvalidPropertyValue"]);
    const syntax = await restErrorOf(client.pool.add({ id: "d", ...base, autoScaleFormula: "$TargetDedicatedNodes = max(1" }));
    expect([syntax.statusCode, syntax.code]).toEqual([400, "AutoScalingFormulaSyntaxError"]);
    const formulaWithout = await restErrorOf(
      client.pool.add({ id: "e", vmSize: "standard_d2s_v3", targetDedicatedNodes: 0, autoScaleFormula: "$TargetDedicatedNodes = 0" }),
    );
    expect([formulaWithout.statusCode, formulaWithout.code]).toEqual([400, "InvalidPropertyValue"]);
    expect((await client.pool.list()).map((pool) => pool.id)).toEqual([]);
  });
});
