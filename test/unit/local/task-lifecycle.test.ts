import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Program } from "../../support/fake-programs.js";
import type { HeldProgram } from "../../support/held-program.js";
import { rejectionOf } from "../../support/rejection-of.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
let work: HeldProgram;

beforeEach(async () => {
  bed = await TestBed.start();
  work = bed.runtime.hold("work");
  await bed.addPool("p");
  await bed.addJob("j", "p");
});

afterEach(async () => {
  await bed.close();
});

/** A program exiting with the next code of the list on each run. */
function exitCodes(...codes: number[]): Program {
  let attempt = 0;
  return () => ({ exitCode: codes[Math.min(attempt++, codes.length - 1)], stdout: `attempt ${attempt}\n` });
}

describe("task retries", () => {
  it("retries a failing task up to maxTaskRetryCount and reports the last exit code", async () => {
    bed.runtime.programs.set("flaky", exitCodes(3, 3, 3, 0));
    await bed.batch.task.add("j", { id: "t", commandLine: "flaky", constraints: { maxTaskRetryCount: 2 } });
    const task = await bed.taskIn("j", "t", "completed");
    expect(task.executionInfo).toMatchObject({
      exitCode: 3,
      result: "failure",
      retryCount: 2,
      failureInfo: { category: "usererror", code: "FailureExitCode" },
    });
    expect(task.executionInfo.lastRetryTime).toBeDefined();
    expect(bed.runtime.processesOf("t")).toHaveLength(3);
    expect((await bed.batch.file.getFromTask("j", "t", "stdout.txt")).toString()).toBe("attempt 3\n");
  });

  it("reports the start of the latest attempt as the task's startTime (REST TaskExecutionInformation.startTime)", async () => {
    await bed.batch.task.add("j", { id: "t", commandLine: "work", constraints: { maxTaskRetryCount: 1 } });
    const first = await work.started("t");
    const firstStart = (await bed.batch.task.get("j", "t")).executionInfo.startTime;
    await bed.clock.advance(7_000);
    first.finish(1);
    await bed.waitFor(() => work.running.length === 1 && work.running[0] !== first, "the retry");
    const retrying = await bed.batch.task.get("j", "t");
    expect(retrying.executionInfo).toMatchObject({ retryCount: 1, startTime: retrying.executionInfo.lastRetryTime });
    expect(Date.parse(retrying.executionInfo.startTime ?? "") - Date.parse(firstStart ?? "")).toBe(7_000);
    work.finishAll(0);
    expect((await bed.taskIn("j", "t", "completed")).executionInfo.startTime).toBe(retrying.executionInfo.startTime);
  });

  it("stops retrying once an attempt succeeds", async () => {
    bed.runtime.programs.set("flaky", exitCodes(1, 0));
    await bed.batch.task.add("j", { id: "t", commandLine: "flaky", constraints: { maxTaskRetryCount: 5 } });
    const task = await bed.taskIn("j", "t", "completed");
    expect(task.executionInfo).toMatchObject({ exitCode: 0, result: "success", retryCount: 1 });
    expect(bed.runtime.processesOf("t")).toHaveLength(2);
  });

  it("retries without limit with maxTaskRetryCount -1, and takes the job's count by default", async () => {
    bed.runtime.programs.set("flaky", exitCodes(1, 1, 1, 1, 1, 0));
    await bed.batch.task.add("j", { id: "unlimited", commandLine: "flaky", constraints: { maxTaskRetryCount: -1 } });
    expect((await bed.taskIn("j", "unlimited", "completed")).executionInfo).toMatchObject({ result: "success", retryCount: 5 });

    bed.runtime.programs.set("failing", () => ({ exitCode: 4 }));
    await bed.addJob("k", "p", { constraints: { maxTaskRetryCount: 1 } });
    await bed.batch.task.add("k", { id: "inherits", commandLine: "failing" });
    expect((await bed.taskIn("k", "inherits", "completed")).executionInfo).toMatchObject({ exitCode: 4, retryCount: 1 });
  });

  it("shows retryCount while the next attempt runs", async () => {
    await bed.batch.task.add("j", { id: "t", commandLine: "work", constraints: { maxTaskRetryCount: 1 } });
    (await work.started("t")).finish(9);
    await bed.waitFor(() => work.running.length === 1, "the second attempt");
    const task = await bed.batch.task.get("j", "t");
    expect(task.state).toBe("running");
    expect(task.executionInfo.retryCount).toBe(1);
    work.finishAll(0);
    expect((await bed.taskIn("j", "t", "completed")).executionInfo).toMatchObject({ result: "success", retryCount: 1 });
  });
});

describe("task wall clock", () => {
  it("kills a task when its maxWallClockTime has passed on the clock, not before", async () => {
    await bed.batch.task.add("j", { id: "t", commandLine: "sleep 3600", constraints: { maxWallClockTime: "PT10S" } });
    await bed.waitFor(() => bed.runtime.processesOf("t")[0]?.state === "running", "the task's process");
    await bed.clock.advance(9_999);
    expect((await bed.batch.task.get("j", "t")).state).toBe("running");
    await bed.clock.advance(1);
    const task = await bed.taskIn("j", "t", "completed");
    expect(task.executionInfo).toMatchObject({ result: "failure", failureInfo: { code: "MaxWallClockTimeExpiry" } });
    expect(bed.runtime.processesOf("t")[0]?.result).toEqual({ exitCode: 137, killed: true });
  });

  it("lets a task that ends in time succeed: its duration passes on the fake clock", async () => {
    await bed.batch.task.add("j", { id: "t", commandLine: "sleep 5", constraints: { maxWallClockTime: "PT10S" } });
    await bed.waitFor(() => bed.runtime.processesOf("t")[0]?.state === "running", "the task's process");
    await bed.clock.advance(4_999);
    expect((await bed.batch.task.get("j", "t")).state).toBe("running");
    await bed.clock.advance(1);
    expect((await bed.taskIn("j", "t", "completed")).executionInfo).toMatchObject({ exitCode: 0, result: "success" });
  });
});

describe("task terminate and delete", () => {
  it("terminates a running task: its process is killed and it completes with TaskEnded", async () => {
    await bed.batch.task.add("j", { id: "t", commandLine: "work" });
    const run = await work.started("t");
    await bed.batch.task.terminate("j", "t");
    const task = await bed.taskIn("j", "t", "completed");
    expect(run.killed).toBe(true);
    expect(task.executionInfo).toMatchObject({ result: "failure", failureInfo: { code: "TaskEnded" } });
    expect((await rejectionOf(bed.batch.task.terminate("j", "t"))).code).toBe("TaskCompleted");
  });

  it("terminates a task that never ran", async () => {
    await bed.addPool("empty", { targetDedicatedNodes: 0 });
    await bed.addJob("idle-job", "empty");
    await bed.batch.task.add("idle-job", { id: "t", commandLine: "work" });
    await bed.batch.task.terminate("idle-job", "t");
    const task = await bed.batch.task.get("idle-job", "t");
    expect(task).toMatchObject({ state: "completed", executionInfo: { result: "failure", failureInfo: { code: "TaskEnded" } } });
    expect(task.executionInfo.startTime).toBeUndefined();
  });

  it("deletes a running task: its process is killed and it is gone", async () => {
    await bed.batch.task.add("j", { id: "t", commandLine: "work" });
    const run = await work.started("t");
    await bed.batch.task.delete("j", "t");
    expect(run.killed).toBe(true);
    expect((await rejectionOf(bed.batch.task.get("j", "t"))).code).toBe("TaskNotFound");
    await bed.batch.task.add("j", { id: "next", commandLine: "true" });
    expect((await bed.taskIn("j", "next", "completed")).executionInfo.result).toBe("success");
  });
});
