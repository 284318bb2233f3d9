/**
 * Exit conditions' job actions (`onTaskFailure: performexitoptionsjobaction`) and
 * `onAllTasksComplete` when tasks are deleted, through @azure/batch 10.2.0.
 */
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HeldProgram } from "../../support/held-program.js";
import { settle } from "../../support/settle.js";
import { TestBed } from "../../support/test-bed.js";
import { restErrorOf } from "../../support/rejection-of.js";

let bed: TestBed;
let client: BatchServiceClient;
let work: HeldProgram;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  work = bed.runtime.hold("work");
  await bed.addPool("p", { taskSlotsPerNode: 4 });
});

afterEach(async () => {
  await bed.close();
});

async function failingJob(id: string): Promise<void> {
  await client.job.add({ id, poolInfo: { poolId: "p" }, onTaskFailure: "performexitoptionsjobaction", usesTaskDependencies: true });
}

describe("exit conditions' job actions", () => {
  it("performexitoptionsjobaction without exit conditions: a failed task terminates the job (TaskFailed) and ends its other tasks", async () => {
    await failingJob("j");
    await client.task.addCollection("j", [
      { id: "ok", commandLine: "work" },
      { id: "bad", commandLine: "work" },
      { id: "other", commandLine: "work" },
    ]);
    (await work.started("ok")).finish(0);
    await bed.taskIn("j", "ok", "completed");
    expect((await client.job.get("j")).state).toBe("active");
    const other = await work.started("other");
    (await work.started("bad")).finish(1);
    const job = await bed.jobIn("j", "completed");
    expect(job.executionInfo.terminateReason).toBe("TaskFailed");
    expect(other.killed).toBe(true);
    expect((await client.task.get("j", "other")).executionInfo?.failureInfo?.code).toBe("TaskEnded");
  });

  it("jobAction none keeps the job; a mapped exit code decides before default", async () => {
    await failingJob("j");
    await client.task.addCollection("j", [
      { id: "tolerated", commandLine: "work", exitConditions: { default: { jobAction: "none" } } },
      { id: "mapped", commandLine: "work", exitConditions: { exitCodeRanges: [{ start: 10, end: 19, exitOptions: { jobAction: "none" } }] } },
    ]);
    (await work.started("tolerated")).finish(5);
    (await work.started("mapped")).finish(12);
    await bed.taskIn("j", "mapped", "completed");
    await settle(10);
    expect((await client.job.get("j")).state).toBe("active");
  });

  it("a jobAction on exit code 0 is acted on too: terminate", async () => {
    await failingJob("j");
    await client.task.add("j", { id: "last", commandLine: "work", exitConditions: { exitCodes: [{ code: 0, exitOptions: { jobAction: "terminate" } }] } });
    (await work.started("last")).finish(0);
    expect((await bed.jobIn("j", "completed")).executionInfo.terminateReason).toBe("TaskFailed");
  });

  it("jobAction disable disables the job, requeueing its running tasks; enable runs them again", async () => {
    await failingJob("j");
    await client.task.addCollection("j", [
      { id: "stopper", commandLine: "work", exitConditions: { default: { jobAction: "disable" } } },
      { id: "busy", commandLine: "work" },
    ]);
    const busy = await work.started("busy");
    (await work.started("stopper")).finish(1);
    const job = await bed.jobIn("j", "disabled");
    expect(job.previousState).toBe("disabling");
    expect(busy.killed).toBe(true);
    const requeued = await bed.taskIn("j", "busy", "active");
    expect(requeued.executionInfo.requeueCount).toBe(1);
    await settle(10);
    expect(work.running).toHaveLength(0);
    await client.job.enable("j");
    (await work.started("busy")).finish(0);
    await bed.taskIn("j", "busy", "completed");
  });

  it("with onTaskFailure noaction, a failed task changes nothing and a jobAction is refused (400 InvalidPropertyValue)", async () => {
    await client.job.add({ id: "quiet", poolInfo: { poolId: "p" } });
    await client.task.add("quiet", { id: "bad", commandLine: "work" });
    (await work.started("bad")).finish(1);
    await bed.taskIn("quiet", "bad", "completed");
    expect((await client.job.get("quiet")).state).toBe("active");
    const error = await restErrorOf(client.task.add("quiet", { id: "t", commandLine: "work", exitConditions: { default: { jobAction: "none" } } }));
    expect([error.statusCode, error.code]).toEqual([400, "InvalidPropertyValue"]);
    expect(error.body).toMatchObject({ values: expect.arrayContaining([{ key: "PropertyName", value: "exitConditions.default.jobAction" }]) as unknown });
    await client.task.add("quiet", { id: "dep-only", commandLine: "work", exitConditions: { default: { dependencyAction: "satisfy" } } });
  });

  it("a failing task's TaskFailed wins over AllTasksComplete when it is the last one", async () => {
    await client.job.add({ id: "j", poolInfo: { poolId: "p" }, onTaskFailure: "performexitoptionsjobaction", onAllTasksComplete: "terminatejob" });
    await client.task.add("j", { id: "only", commandLine: "work" });
    (await work.started("only")).finish(1);
    expect((await bed.jobIn("j", "completed")).executionInfo.terminateReason).toBe("TaskFailed");
  });
});

describe("onAllTasksComplete when the task set changes", () => {
  it("deleting the last incomplete task terminates a terminatejob job with AllTasksComplete", async () => {
    await client.job.add({ id: "j", poolInfo: { poolId: "p" }, usesTaskDependencies: true, onAllTasksComplete: "terminatejob" });
    await client.task.addCollection("j", [
      { id: "done", commandLine: "work" },
      { id: "stuck", commandLine: "work", dependsOn: { taskIds: ["never"] } },
    ]);
    (await work.started("done")).finish(0);
    await bed.taskIn("j", "done", "completed");
    await settle(10);
    expect((await client.job.get("j")).state).toBe("active");
    await client.task.deleteMethod("j", "stuck");
    expect((await bed.jobIn("j", "completed")).executionInfo.terminateReason).toBe("AllTasksComplete");
  });

  it("a noaction job stays active when its tasks are deleted", async () => {
    await client.job.add({ id: "j", poolInfo: { poolId: "p" } });
    await client.task.add("j", { id: "t", commandLine: "work" });
    await client.task.deleteMethod("j", "t");
    await settle(10);
    expect((await client.job.get("j")).state).toBe("active");
  });
});
