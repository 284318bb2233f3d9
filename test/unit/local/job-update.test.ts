/**
 * Job_Patch (`PATCH /jobs/{jobId}`) and Job_Update (`PUT /jobs/{jobId}`) through @azure/batch
 * 10.2.0 and signed requests, over a backend with a fake node runtime.
 */
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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
});

afterEach(async () => {
  await bed.close();
});

/** The Batch error code of a signed request's answer. */
function codeOf(response: BatchHttpResponse): string | undefined {
  return (response.json as { code?: string } | undefined)?.code;
}

describe("job update (PATCH and PUT /jobs/{jobId})", () => {
  it("Nextflow's pattern: noaction while tasks are added, then terminatejob completes the job with AllTasksComplete", async () => {
    await client.job.add({ id: "nf", poolInfo: { poolId: "p" }, onAllTasksComplete: "noaction" });
    await client.task.addCollection("nf", [
      { id: "a", commandLine: "work" },
      { id: "b", commandLine: "work" },
    ]);
    (await work.started("a")).finish(0);
    (await work.started("b")).finish(1);
    await bed.taskIn("nf", "b", "completed");
    expect((await client.job.get("nf")).state).toBe("active");

    const answer = await client.job.patch("nf", { onAllTasksComplete: "terminatejob" });
    expect(answer._response.status).toBe(200);
    const job = await bed.jobIn("nf", "completed");
    expect(job.executionInfo.terminateReason).toBe("AllTasksComplete");
    expect(job.onAllTasksComplete).toBe("terminatejob");
  });

  it("terminatejob with tasks still running: the job completes when the last one does", async () => {
    await bed.addJob("j", "p");
    await client.task.add("j", { id: "a", commandLine: "work" });
    const run = await work.started("a");
    await client.job.patch("j", { onAllTasksComplete: "terminatejob" });
    expect((await client.job.get("j")).state).toBe("active");
    run.finish(0);
    expect((await bed.jobIn("j", "completed")).executionInfo.terminateReason).toBe("AllTasksComplete");
  });

  it("a job without tasks patched to terminatejob completes at once", async () => {
    await bed.addJob("empty", "p");
    await client.job.patch("empty", { onAllTasksComplete: "terminatejob" });
    const job = await bed.jobIn("empty", "completed");
    expect(job.executionInfo.terminateReason).toBe("AllTasksComplete");
    expect((await restErrorOf(client.job.patch("empty", { priority: 1 }))).code).toBe("JobCompleted");
  });

  it("PATCH changes only the given properties and answers with the new ETag, Last-Modified and DataServiceId", async () => {
    await bed.addJob("j", "p", {
      priority: 5,
      maxParallelTasks: 3,
      constraints: { maxTaskRetryCount: 2 },
      metadata: [{ name: "k", value: "v" }],
      allowTaskPreemption: true,
    });
    const before = await client.job.get("j");
    const answer = await client.job.patch("j", { priority: 100, metadata: [{ name: "x", value: "y" }] });
    const after = await client.job.get("j");
    expect(answer.eTag).toBe(after.eTag);
    expect(answer.eTag).not.toBe(before.eTag);
    expect(answer.lastModified?.toISOString()).toBe(new Date(Math.floor(after.lastModified!.getTime() / 1000) * 1000).toISOString());
    expect(answer.dataServiceId).toBe(after.url);
    expect(after).toMatchObject({
      priority: 100,
      metadata: [{ name: "x", value: "y" }],
      maxParallelTasks: 3,
      constraints: { maxTaskRetryCount: 2 },
      allowTaskPreemption: true,
      onAllTasksComplete: "noaction",
      poolInfo: { poolId: "p" },
      state: "active",
    });
  });

  it("PUT replaces the updatable properties: the omitted ones take their defaults", async () => {
    await bed.addJob("j", "p", {
      priority: 5,
      maxParallelTasks: 3,
      constraints: { maxTaskRetryCount: 2, maxWallClockTime: "PT1H" },
      metadata: [{ name: "k", value: "v" }],
    });
    const answer = await client.job.update("j", { poolInfo: { poolId: "p" }, maxParallelTasks: 7 });
    expect(answer._response.status).toBe(200);
    const job = await client.job.get("j");
    expect(job).toMatchObject({ priority: 0, maxParallelTasks: 7, onAllTasksComplete: "noaction", poolInfo: { poolId: "p" } });
    expect(job.constraints?.maxWallClockTime).toBeUndefined();
    expect(job.constraints?.maxTaskRetryCount ?? 0).toBe(0);
    expect(job.metadata ?? []).toEqual([]);
    // The wall clock went with the constraints.
    await bed.clock.advance(2 * 3600_000);
    expect((await client.job.get("j")).state).toBe("active");
  });

  it("refuses going back from terminatejob to noaction, by PATCH or by a PUT that omits it", async () => {
    await bed.addJob("j", "p", { onAllTasksComplete: "terminatejob" });
    await client.task.add("j", { id: "a", commandLine: "work" });
    await work.started("a");
    const patched = await restErrorOf(client.job.patch("j", { onAllTasksComplete: "noaction" }));
    expect([patched.statusCode, patched.code]).toEqual([400, "InvalidPropertyValue"]);
    const replaced = await restErrorOf(client.job.update("j", { poolInfo: { poolId: "p" } }));
    expect([replaced.statusCode, replaced.code]).toEqual([400, "InvalidPropertyValue"]);
    await client.job.update("j", { poolInfo: { poolId: "p" }, onAllTasksComplete: "terminatejob", priority: 9 });
    expect((await client.job.get("j")).priority).toBe(9);
  });

  it("refuses another pool while the job is active (409), accepts the same one", async () => {
    await bed.addJob("j", "p");
    const error = await restErrorOf(client.job.patch("j", { poolInfo: { poolId: "other" } }));
    expect([error.statusCode, error.code]).toEqual([409, "OperationInvalidForCurrentState"]);
    await client.job.patch("j", { poolInfo: { poolId: "P" }, priority: 2 });
    expect(await client.job.get("j")).toMatchObject({ poolInfo: { poolId: "p" }, priority: 2 });
  });

  it("applies the conditional headers: an If-Match that does not match is 412 and changes nothing", async () => {
    await bed.addJob("j", "p");
    const { eTag } = await client.job.get("j");
    const error = await restErrorOf(client.job.patch("j", { priority: 1 }, { jobPatchOptions: { ifMatch: "0xDEADBEEF" } }));
    expect([error.statusCode, error.code]).toEqual([412, "ConditionNotMet"]);
    const replaced = await restErrorOf(client.job.update("j", { poolInfo: { poolId: "p" } }, { jobUpdateOptions: { ifMatch: "0xDEADBEEF" } }));
    expect(replaced.statusCode).toBe(412);
    expect((await client.job.get("j")).priority).toBe(0);
    await client.job.patch("j", { priority: 1 }, { jobPatchOptions: { ifMatch: eTag } });
    expect((await client.job.get("j")).priority).toBe(1);
  });

  it("a changed maxWallClockTime re-arms the wall clock, counted from the job's creation", async () => {
    await bed.addJob("j", "p", { constraints: { maxWallClockTime: "PT10M" } });
    await client.task.add("j", { id: "long", commandLine: "work" });
    const run = await work.started("long");
    await bed.clock.advance(5 * 60_000);
    await client.job.patch("j", { constraints: { maxWallClockTime: "PT1H" } });
    await bed.clock.advance(10 * 60_000);
    expect((await client.job.get("j")).state).toBe("active");
    await client.job.patch("j", { constraints: { maxWallClockTime: "PT20M" } });
    await bed.clock.advance(5 * 60_000);
    const job = await bed.jobIn("j", "completed");
    expect(job.executionInfo.terminateReason).toBe("MaxWallClockTimeExpiry");
    expect(run.killed).toBe(true);
  });

  it("answers the REST API's errors for bodies and states", async () => {
    const batch = signedFetcher(bed.account);
    await bed.addJob("j", "p");
    const unknown = await batch("/jobs/j", { method: "PATCH", json: { priority: 1, bogus: true } });
    expect([unknown.status, codeOf(unknown)]).toEqual([400, "InvalidRequestBody"]);
    const noPool = await batch("/jobs/j", { method: "PUT", json: { priority: 1 } });
    expect([noPool.status, codeOf(noPool)]).toEqual([400, "MissingRequiredProperty"]);
    const badPriority = await batch("/jobs/j", { method: "PATCH", json: { priority: 5000 } });
    expect([badPriority.status, codeOf(badPriority)]).toEqual([400, "InvalidPropertyValue"]);
    const missing = await batch("/jobs/none", { method: "PATCH", json: { priority: 1 } });
    expect([missing.status, codeOf(missing)]).toEqual([404, "JobNotFound"]);
    const ok = await batch("/jobs/j", { method: "PATCH", json: { priority: 1 } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("etag")).toBe((await client.job.get("j")).eTag);
    expect(ok.headers.get("dataserviceid")).toMatch(/\/jobs\/j$/);
    await client.task.add("j", { id: "a", commandLine: "work" });
    await work.started("a");
    const kills = bed.runtime.holdKills(); // the job stays `deleting` while its task dies
    await client.job.deleteMethod("j");
    const deleting = await batch("/jobs/j", { method: "PATCH", json: { priority: 2 } });
    expect([deleting.status, codeOf(deleting)]).toEqual([409, "JobBeingDeleted"]);
    kills.open();
  });
});
