/** Job_Disable and Job_Enable (`POST /jobs/{jobId}/disable`, `/enable`) through @azure/batch 10.2.0. */
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HeldProgram } from "../../support/held-program.js";
import { settle } from "../../support/settle.js";
import { signedFetcher } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";
import { restErrorOf } from "../../support/rejection-of.js";

let bed: TestBed;
let client: BatchServiceClient;
let work: HeldProgram;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  work = bed.runtime.hold("work");
  await bed.addPool("p", { taskSlotsPerNode: 1 });
  await client.job.add({ id: "j", poolInfo: { poolId: "p" } });
  await client.task.addCollection("j", [
    { id: "first", commandLine: "work" },
    { id: "second", commandLine: "work" },
  ]);
});

afterEach(async () => {
  await bed.close();
});

describe("job disable and enable", () => {
  it("requeue: the running task is ended and back in active (requeueCount 1); nothing runs until enable, through enabling", async () => {
    const first = await work.started("first");
    const answer = await client.job.disable("j", "requeue");
    expect(answer._response.status).toBe(202);
    const disabled = await bed.jobIn("j", "disabled");
    expect(disabled.previousState).toBe("disabling");
    expect(first.killed).toBe(true);
    const task = await bed.taskIn("j", "first", "active");
    expect(task.executionInfo.requeueCount).toBe(1);
    expect(task.executionInfo.lastRequeueTime).toBeDefined();
    await settle(20);
    expect(work.running).toHaveLength(0);
    await client.job.enable("j");
    const job = await client.job.get("j");
    expect([job.state, job.previousState]).toEqual(["active", "enabling"]);
    (await work.started("first")).finish(0);
    (await work.started("second")).finish(0);
    await bed.taskIn("j", "second", "completed");
  });

  it("terminate: the running task completes with a failure saying it was ended, and does not run again", async () => {
    await work.started("first");
    await client.job.disable("j", "terminate");
    await bed.jobIn("j", "disabled");
    const ended = await client.task.get("j", "first");
    expect(ended.state).toBe("completed");
    expect(ended.executionInfo?.result).toBe("failure");
    expect(ended.executionInfo?.failureInfo?.code).toBe("TaskEnded");
    await client.job.enable("j");
    (await work.started("second")).finish(0);
    await bed.taskIn("j", "second", "completed");
    expect(work.runs.filter((run) => run.env.AZ_BATCH_TASK_ID === "first")).toHaveLength(1);
  });

  it("wait: the job stays disabling while its task runs, and is disabled when it finishes; new tasks do not start", async () => {
    const first = await work.started("first");
    await client.job.disable("j", "wait");
    await settle(10);
    expect((await client.job.get("j")).state).toBe("disabling");
    expect(first.running).toBe(true);
    await client.task.add("j", { id: "added-while-disabling", commandLine: "work" });
    first.finish(0);
    await bed.jobIn("j", "disabled");
    expect((await client.task.get("j", "first")).executionInfo?.result).toBe("success");
    await settle(20);
    expect(work.running).toHaveLength(0);
  });

  it("disabling again, or enabling an active job, changes nothing; ended jobs are refused with 409", async () => {
    await client.job.disable("j", "requeue");
    await bed.jobIn("j", "disabled");
    const before = await client.job.get("j");
    await client.job.disable("j", "terminate");
    expect((await client.job.get("j")).eTag).toBe(before.eTag);
    await client.job.enable("j");
    const active = await client.job.get("j");
    await client.job.enable("j");
    expect((await client.job.get("j")).eTag).toBe(active.eTag);

    await client.job.terminate("j");
    await bed.jobIn("j", "completed");
    const disabling = await restErrorOf(client.job.disable("j", "wait"));
    expect([disabling.statusCode, disabling.code]).toEqual([409, "JobCompleted"]);
    const enabling = await restErrorOf(client.job.enable("j"));
    expect([enabling.statusCode, enabling.code]).toEqual([409, "JobCompleted"]);
    expect((await restErrorOf(client.job.disable("nope", "wait"))).code).toBe("JobNotFound");
  });

  it("a job may be terminated while disabled", async () => {
    await client.job.disable("j", "requeue");
    await bed.jobIn("j", "disabled");
    await client.job.terminate("j", { terminateReason: "done" });
    expect((await bed.jobIn("j", "completed")).executionInfo.terminateReason).toBe("done");
  });

  it("refuses a body without disableTasks or with an unknown option", async () => {
    const fetch = signedFetcher(bed.account);
    const missing = await fetch("/jobs/j/disable", { method: "POST", json: {} });
    expect([missing.status, (missing.json as { code: string }).code]).toEqual([400, "MissingRequiredProperty"]);
    const unknown = await fetch("/jobs/j/disable", { method: "POST", json: { disableTasks: "pause" } });
    expect([unknown.status, (unknown.json as { code: string }).code]).toEqual([400, "InvalidPropertyValue"]);
    expect((await client.job.get("j")).state).toBe("active");
  });
});
