import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BatchError } from "../../../src/core/batch-error.js";
import type { HeldProgram } from "../../support/held-program.js";
import { rejectionOf } from "../../support/rejection-of.js";
import { TestBed } from "../../support/test-bed.js";

const DAY_MS = 24 * 3600_000;

let bed: TestBed;
let work: HeldProgram;

beforeEach(async () => {
  bed = await TestBed.start();
  work = bed.runtime.hold("work");
  await bed.addPool("p", { taskSlotsPerNode: 2 });
});

afterEach(async () => {
  await bed.close();
});

describe("job lifecycle", () => {
  it("terminating a job with running tasks: terminating until they have stopped, then completed", async () => {
    await bed.addJob("j", "p");
    await bed.batch.task.addCollection("j", [
      { id: "a", commandLine: "work" },
      { id: "b", commandLine: "work" },
    ]);
    const [a, b] = [await work.started("a"), await work.started("b")];
    const kills = bed.runtime.holdKills(); // the processes take their time to die
    await bed.batch.job.terminate("j", "enough");
    expect((await bed.batch.job.get("j")).state).toBe("terminating");
    kills.open();

    const job = await bed.jobIn("j", "completed");
    expect([a.killed, b.killed]).toEqual([true, true]);
    expect(job.executionInfo.terminateReason).toBe("enough");
    expect(job.executionInfo.endTime).toBe(job.stateTransitionTime);
    expect(job.previousState).toBe("terminating");
    for (const id of ["a", "b"]) {
      expect((await bed.batch.task.get("j", id)).executionInfo).toMatchObject({ result: "failure", failureInfo: { code: "TaskEnded" } });
    }
    expect((await rejectionOf(bed.batch.job.terminate("j"))).code).toBe("JobCompleted");
    expect((await rejectionOf(bed.batch.task.add("j", { id: "late", commandLine: "true" }))).code).toBe("JobCompleted");
  });

  it("onAllTasksComplete terminatejob: completes the job when its last task completes, not before", async () => {
    await bed.addJob("j", "p", { onAllTasksComplete: "terminatejob" });
    await bed.batch.task.addCollection("j", [
      { id: "a", commandLine: "work" },
      { id: "b", commandLine: "work" },
    ]);
    (await work.started("a")).finish(0);
    await bed.taskIn("j", "a", "completed");
    expect((await bed.batch.job.get("j")).state).toBe("active");
    (await work.started("b")).finish(1);
    const job = await bed.jobIn("j", "completed");
    expect(job.executionInfo.terminateReason).toBe("AllTasksComplete");
  });

  it("onAllTasksComplete noaction (the default): the job stays active", async () => {
    await bed.addJob("j", "p");
    await bed.batch.task.add("j", { id: "a", commandLine: "true" });
    await bed.taskIn("j", "a", "completed");
    expect((await bed.batch.job.get("j")).state).toBe("active");
  });

  it("terminates a job whose maxWallClockTime passes on the clock, ending its running tasks", async () => {
    await bed.addJob("j", "p", { constraints: { maxWallClockTime: "PT1M" } });
    await bed.batch.task.add("j", { id: "long", commandLine: "work" });
    const run = await work.started("long");
    await bed.clock.advance(59_999);
    expect((await bed.batch.job.get("j")).state).toBe("active");
    expect(run.running).toBe(true);

    await bed.clock.advance(1);
    const job = await bed.jobIn("j", "completed");
    expect(job.executionInfo.terminateReason).toBe("MaxWallClockTimeExpiry");
    expect(run.killed).toBe(true);
    expect((await bed.batch.task.get("j", "long")).executionInfo).toMatchObject({ result: "failure", failureInfo: { code: "TaskEnded" } });
  });

  it("does not end a job with a P30D limit early", async () => {
    await bed.addJob("j", "p", { constraints: { maxWallClockTime: "P30D" } });
    await bed.batch.task.add("j", { id: "long", commandLine: "work" });
    const run = await work.started("long");
    await bed.clock.advance(30 * DAY_MS - 1);
    expect((await bed.batch.job.get("j")).state).toBe("active");
    expect(run.running).toBe(true);
    await bed.clock.advance(1);
    expect((await bed.jobIn("j", "completed")).executionInfo.terminateReason).toBe("MaxWallClockTimeExpiry");
  });

  it("deletes a job: its running tasks are killed, then it is gone; deleting it again meanwhile is JobBeingDeleted", async () => {
    await bed.addJob("j", "p");
    await bed.batch.task.add("j", { id: "t", commandLine: "work" });
    const run = await work.started("t");
    const kills = bed.runtime.holdKills();
    await bed.batch.job.delete("j");
    expect((await bed.batch.job.get("j")).state).toBe("deleting");
    const again = await rejectionOf(bed.batch.job.delete("j"));
    expect([again.statusCode, again.code]).toEqual([409, "JobBeingDeleted"]);
    expect((await rejectionOf(bed.batch.task.add("j", { id: "late", commandLine: "true" }))).code).toBe("JobBeingDeleted");
    kills.open();
    await bed.waitFor(
      () =>
        bed.batch.job.get("j").then(
          () => false,
          (e: BatchError) => e.code === "JobNotFound",
        ),
      "the job to go",
    );
    expect(run.killed).toBe(true);
  });
});
