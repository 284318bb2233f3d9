/**
 * Task_Update (`PUT /jobs/{jobId}/tasks/{taskId}`) and Task_Reactivate (`POST .../reactivate`)
 * through @azure/batch 10.2.0 against the in-process server, on a fake node runtime and clock.
 */
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INFINITE_DURATION } from "../../../src/core/validation/durations.js";
import type { HeldProgram } from "../../support/held-program.js";
import { signedFetcher, type BatchHttpResponse } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";
import { restErrorOf } from "../../support/rejection-of.js";

let bed: TestBed;
let client: BatchServiceClient;
let work: HeldProgram;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  work = bed.runtime.hold("work");
  await bed.addPool("p", { taskSlotsPerNode: 2 });
  await bed.addJob("j", "p");
});

afterEach(async () => {
  await bed.close();
});

/** The Batch error code of a signed request's answer. */
function codeOf(response: BatchHttpResponse): string | undefined {
  return (response.json as { code?: string } | undefined)?.code;
}

describe("task update (PUT /jobs/{jobId}/tasks/{taskId})", () => {
  it("replaces the constraints, omitted ones by their defaults, and answers 200 with the new ETag", async () => {
    await client.task.add("j", { id: "t", commandLine: "work", constraints: { maxTaskRetryCount: 3, retentionTime: "PT1H", maxWallClockTime: "PT5M" } });
    const before = await client.task.get("j", "t");
    const answer = await client.task.update("j", "t", { constraints: { maxWallClockTime: "PT10M" } });
    expect(answer._response.status).toBe(200);
    const after = await client.task.get("j", "t");
    expect(answer.eTag).toBe(after.eTag);
    expect(after.eTag).not.toBe(before.eTag);
    expect(after.constraints).toEqual({ maxWallClockTime: "PT10M", retentionTime: "P7D", maxTaskRetryCount: 0 });
    await client.task.update("j", "t");
    expect((await client.task.get("j", "t")).constraints).toEqual({ maxWallClockTime: INFINITE_DURATION, retentionTime: "P7D", maxTaskRetryCount: 0 });
  });

  it("an omitted maxTaskRetryCount takes the job's, as at add", async () => {
    await bed.addJob("retrying", "p", { constraints: { maxTaskRetryCount: 4 } });
    await client.task.add("retrying", { id: "t", commandLine: "work" });
    await client.task.update("retrying", "t", { constraints: { retentionTime: "P1D" } });
    expect((await client.task.get("retrying", "t")).constraints?.maxTaskRetryCount).toBe(4);
  });

  it("a running task's new maxWallClockTime counts from its start: a longer one lets it run, a shorter one ends it", async () => {
    await client.task.add("j", { id: "long", commandLine: "work", constraints: { maxWallClockTime: "PT1M" } });
    await client.task.add("j", { id: "short", commandLine: "work" });
    await work.started("long");
    const short = await work.started("short");
    await client.task.update("j", "long", { constraints: { maxWallClockTime: "PT3M" } });
    await bed.clock.advance(90_000);
    expect((await client.task.get("j", "long")).state).toBe("running");

    await client.task.update("j", "short", { constraints: { maxWallClockTime: "PT1M" } });
    const ended = await bed.taskIn("j", "short", "completed");
    expect(short.killed).toBe(true);
    expect(ended.executionInfo?.failureInfo?.code).toBe("MaxWallClockTimeExpiry");

    await bed.clock.advance(90_000);
    const long = await bed.taskIn("j", "long", "completed");
    expect(long.executionInfo?.failureInfo?.code).toBe("MaxWallClockTimeExpiry");
  });

  it("a running task's wall clock removed by the update no longer ends it", async () => {
    await client.task.add("j", { id: "t", commandLine: "work", constraints: { maxWallClockTime: "PT1M" } });
    const run = await work.started("t");
    await client.task.update("j", "t", {});
    await bed.clock.advance(3_600_000);
    expect(run.running).toBe(true);
    run.finish(0);
    expect((await bed.taskIn("j", "t", "completed")).executionInfo?.result).toBe("success");
  });

  it("applies the new maxTaskRetryCount to the task's next failure", async () => {
    await client.task.add("j", { id: "t", commandLine: "work" });
    (await work.started("t")).finish(0);
    await bed.taskIn("j", "t", "completed");
    await client.task.add("j", { id: "f", commandLine: "work" });
    const first = await work.started("f");
    await client.task.update("j", "f", { constraints: { maxTaskRetryCount: 1 } });
    first.finish(1);
    await bed.waitFor(() => work.running.some((run) => run.env.AZ_BATCH_TASK_ID === "f" && run !== first), "a retry of f");
    (await work.started("f")).finish(1);
    const failed = await bed.taskIn("j", "f", "completed");
    expect(failed.executionInfo).toMatchObject({ retryCount: 1, result: "failure" });
  });

  it("checks If-Match, refuses bad values and unknown properties, and answers TaskNotFound", async () => {
    await client.task.add("j", { id: "t", commandLine: "work" });
    const stale = await restErrorOf(client.task.update("j", "t", { constraints: {}, taskUpdateOptions: { ifMatch: "0x8D0000000000000" } }));
    expect([stale.statusCode, stale.code]).toEqual([412, "ConditionNotMet"]);
    const negative = await restErrorOf(client.task.update("j", "t", { constraints: { maxTaskRetryCount: -5 } }));
    expect([negative.statusCode, negative.code]).toEqual([400, "InvalidPropertyValue"]);
    expect((await restErrorOf(client.task.update("j", "none", {}))).code).toBe("TaskNotFound");
    expect((await restErrorOf(client.task.update("nojob", "t", {}))).code).toBe("JobNotFound");
    const batchFetch = signedFetcher(bed.account);
    const bad = await batchFetch("/jobs/j/tasks/t", { method: "PUT", json: { constraints: { retentionTime: "soon" } } });
    expect([bad.status, codeOf(bad)]).toEqual([400, "InvalidPropertyValue"]);
    const unknown = await batchFetch("/jobs/j/tasks/t", { method: "PUT", json: { constraints: {}, commandLine: "other" } });
    expect([unknown.status, codeOf(unknown)]).toEqual([400, "InvalidRequestBody"]);
  });
});

describe("task reactivate (POST /jobs/{jobId}/tasks/{taskId}/reactivate)", () => {
  it("a failed task becomes active, runs again with its retry count at 0, and its exit code and failure are gone meanwhile", async () => {
    await client.task.add("j", { id: "t", commandLine: "work", constraints: { maxTaskRetryCount: 1 } });
    (await work.started("t")).finish(2);
    await bed.waitFor(() => work.running.find((run) => run.env.AZ_BATCH_TASK_ID === "t"), "the retry");
    (await work.started("t")).finish(2);
    const failed = await bed.taskIn("j", "t", "completed");
    expect(failed.executionInfo).toMatchObject({ exitCode: 2, retryCount: 1, result: "failure" });

    const answer = await client.task.reactivate("j", "t");
    expect(answer._response.status).toBe(204);
    const active = await client.task.get("j", "t");
    expect(["active", "running"]).toContain(active.state);
    expect(active.executionInfo).toMatchObject({ retryCount: 0, requeueCount: 0 });
    expect(active.executionInfo?.exitCode).toBeUndefined();
    expect(active.executionInfo?.failureInfo).toBeUndefined();

    const rerun = await work.started("t");
    rerun.finish(0);
    const done = await bed.taskIn("j", "t", "completed");
    expect(done.executionInfo).toMatchObject({ exitCode: 0, result: "success", retryCount: 0 });
    expect(work.runs.filter((run) => run.env.AZ_BATCH_TASK_ID === "t")).toHaveLength(3);
    const counts = await client.job.getTaskCounts("j");
    expect(counts.taskCounts).toMatchObject({ completed: 1, succeeded: 1, failed: 0 });
  });

  it("refuses a task that is not completed (TaskNotCompleted) or succeeded (TaskSucceeded)", async () => {
    await client.task.add("j", { id: "running", commandLine: "work" });
    await client.task.add("j", { id: "ok", commandLine: "work" });
    await work.started("running");
    (await work.started("ok")).finish(0);
    await bed.taskIn("j", "ok", "completed");
    const notCompleted = await restErrorOf(client.task.reactivate("j", "running"));
    expect([notCompleted.statusCode, notCompleted.code]).toEqual([409, "TaskNotCompleted"]);
    const succeeded = await restErrorOf(client.task.reactivate("j", "ok"));
    expect([succeeded.statusCode, succeeded.code]).toEqual([409, "TaskSucceeded"]);
    expect((await restErrorOf(client.task.reactivate("j", "none"))).code).toBe("TaskNotFound");
  });

  it("refuses while the job is terminating, completed or being deleted", async () => {
    await client.task.add("j", { id: "failed", commandLine: "work" });
    await client.task.add("j", { id: "slow", commandLine: "work" });
    (await work.started("failed")).finish(1);
    await bed.taskIn("j", "failed", "completed");
    const slow = await work.started("slow");
    const kills = bed.runtime.holdKills();
    await client.job.terminate("j");
    expect((await client.job.get("j")).state).toBe("terminating");
    expect((await restErrorOf(client.task.reactivate("j", "failed"))).code).toBe("JobBeingTerminated");
    kills.open();
    await bed.jobIn("j", "completed");
    expect(slow.killed).toBe(true);
    const completed = await restErrorOf(client.task.reactivate("j", "failed"));
    expect([completed.statusCode, completed.code]).toEqual([409, "JobCompleted"]);
  });

  it("a task ended by terminate can be reactivated; If-Match is checked", async () => {
    await client.task.add("j", { id: "t", commandLine: "work" });
    await work.started("t");
    await client.task.terminate("j", "t");
    const ended = await bed.taskIn("j", "t", "completed");
    expect(ended.executionInfo?.failureInfo?.code).toBe("TaskEnded");
    const stale = await restErrorOf(client.task.reactivate("j", "t", { taskReactivateOptions: { ifMatch: "0x8D0000000000000" } }));
    expect([stale.statusCode, stale.code]).toEqual([412, "ConditionNotMet"]);
    await client.task.reactivate("j", "t", { taskReactivateOptions: { ifMatch: ended.eTag } });
    (await work.started("t")).finish(0);
    expect((await bed.taskIn("j", "t", "completed")).executionInfo?.result).toBe("success");
  });
});
