/**
 * `force` on Job_Delete and Job_Terminate (api-version 2024-07-01.20.0 and later; @azure/batch
 * 10.2.0 cannot send it, so these are signed requests): the job is deleted or completed even while
 * its tasks are still stopping on the nodes.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Gate } from "../../support/gate.js";
import type { HeldProgram } from "../../support/held-program.js";
import { signedFetcher, type BatchHttpResponse } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
let work: HeldProgram;
let batchFetch: ReturnType<typeof signedFetcher>;
let kills: Gate;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  batchFetch = signedFetcher(bed.account);
  work = bed.runtime.hold("work");
  await bed.addPool("p", { taskSlotsPerNode: 2 });
  await bed.addJob("j", "p");
  await bed.batch.task.add("j", { id: "t", commandLine: "work" });
  await work.started("t");
  kills = bed.runtime.holdKills(); // the task's process takes its time to die, as on a slow node
});

afterEach(async () => {
  await bed.close();
});

const code = (response: BatchHttpResponse) => (response.json as { code?: string } | undefined)?.code;

describe("force on job terminate", () => {
  it("without force the job stays terminating until its task has stopped", async () => {
    expect((await batchFetch("/jobs/j/terminate", { method: "POST", query: { force: "false" } })).status).toBe(202);
    expect((await bed.batch.job.get("j")).state).toBe("terminating");
    kills.open();
    await bed.jobIn("j", "completed");
  });

  it("with force the job completes at once; the task completes as it stops", async () => {
    const answer = await batchFetch("/jobs/j/terminate", { method: "POST", query: { force: "true" }, json: { terminateReason: "enough" } });
    expect(answer.status).toBe(202);
    const job = await bed.batch.job.get("j");
    expect(job.state).toBe("completed");
    expect(job.executionInfo.terminateReason).toBe("enough");
    expect((await bed.batch.task.get("j", "t")).state).toBe("running");
    kills.open();
    expect((await bed.taskIn("j", "t", "completed")).executionInfo.failureInfo?.code).toBe("TaskEnded");
    expect((await bed.batch.job.get("j")).state).toBe("completed");
  });

  it("before api-version 2024-07-01.20.0 there is no force: it is not read", async () => {
    await batchFetch("/jobs/j/terminate", { method: "POST", query: { force: "true" }, apiVersion: "2023-11-01.18.0" });
    expect((await bed.batch.job.get("j")).state).toBe("terminating");
  });

  it("refuses a force that is not true or false", async () => {
    const answer = await batchFetch("/jobs/j/terminate", { method: "POST", query: { force: "1" } });
    expect([answer.status, code(answer)]).toEqual([400, "InvalidQueryParameterValue"]);
    expect((await bed.batch.job.get("j")).state).toBe("active");
  });
});

describe("force on job delete", () => {
  it("without force the job is deleting until its task has stopped", async () => {
    expect((await batchFetch("/jobs/j", { method: "DELETE" })).status).toBe(202);
    expect((await bed.batch.job.get("j")).state).toBe("deleting");
    kills.open();
    await bed.waitFor(async () => !(await bed.batch.job.list()).some((job) => job.id === "j"), "the job to be gone");
  });

  it("with force the job is gone at once and its id free; the old task's late cleanup spares the new job's directory", async () => {
    const old = work.runs[0];
    expect((await batchFetch("/jobs/j", { method: "DELETE", query: { force: "TRUE" } })).status).toBe(202);
    const gone = await batchFetch("/jobs/j");
    expect([gone.status, code(gone)]).toEqual([404, "JobNotFound"]);
    await bed.addJob("j", "p");
    await bed.batch.task.add("j", { id: "t", commandLine: "work" });
    await bed.waitFor(() => work.running.find((run) => run !== old), "the new job's task");
    work.running.find((run) => run !== old)?.finish({ exitCode: 0, stdout: "new\n" });
    await bed.taskIn("j", "t", "completed");
    kills.open(); // only now does the old task stop, and the forced deletion's cleanup run
    await bed.waitFor(() => old?.killed, "the old task's process to be killed");
    await bed.backend.batch.shutdown(); // waits for the background work, the cleanup included
    expect((await bed.batch.file.getFromTask("j", "t", "stdout.txt")).toString()).toBe("new\n");
  });
});
