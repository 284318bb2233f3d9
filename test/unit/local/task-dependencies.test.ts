/** Task dependencies (`usesTaskDependencies`, `dependsOn`) through @azure/batch 10.2.0 against the in-process server. */
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
  await bed.addPool("p", { taskSlotsPerNode: 8 });
  await client.job.add({ id: "j", poolInfo: { poolId: "p" }, usesTaskDependencies: true });
});

afterEach(async () => {
  await bed.close();
});

/** The ids of the tasks whose processes run now. */
function runningIds(): string[] {
  return work.running.map((run) => run.env.AZ_BATCH_TASK_ID as string).sort();
}

/** Lets scheduling run, then checks the task is still waiting in `active` with no process. */
async function expectWaiting(taskId: string): Promise<void> {
  await settle(20);
  expect(runningIds()).not.toContain(taskId);
  expect((await client.task.get("j", taskId)).state).toBe("active");
}

describe("task dependencies", () => {
  it("fan-out and fan-in: the middle tasks start once the first succeeded, the merge once all of them did", async () => {
    await client.task.addCollection("j", [
      { id: "split", commandLine: "work" },
      ...["a", "b", "c"].map((id) => ({ id, commandLine: "work", dependsOn: { taskIds: ["split"] } })),
      { id: "merge", commandLine: "work", dependsOn: { taskIds: ["a", "b", "c"] } },
    ]);
    await work.started("split");
    await expectWaiting("a");
    (await work.started("split")).finish(0);
    await bed.waitFor(() => runningIds().join() === "a,b,c", "a, b and c to run");
    (await work.started("a")).finish(0);
    (await work.started("b")).finish(0);
    await expectWaiting("merge");
    (await work.started("c")).finish(0);
    (await work.started("merge")).finish(0);
    const merge = await bed.taskIn("j", "merge", "completed");
    expect(merge.dependsOn).toEqual({ taskIds: ["a", "b", "c"] });
    expect((await client.task.get("j", "merge")).dependsOn?.taskIds).toEqual(["a", "b", "c"]);
  });

  it("a range counts tasks by the integer value of their ids: 04 is 4, 5flamingoes is no task of the range", async () => {
    await client.task.addCollection("j", [
      { id: "1", commandLine: "work" },
      { id: "2", commandLine: "work" },
      { id: "5flamingoes", commandLine: "work" },
      { id: "merge", commandLine: "work", dependsOn: { taskIdRanges: [{ start: 1, end: 3 }] } },
    ]);
    for (const id of ["1", "2", "5flamingoes"]) (await work.started(id)).finish(0);
    await expectWaiting("merge");
    await client.task.add("j", { id: "03", commandLine: "work" });
    (await work.started("03")).finish(0);
    await work.started("merge");
  });

  it("a huge range is cheap: 1..100000 waits without any of its tasks, and counts each completion numerically", async () => {
    await client.task.add("j", { id: "all", commandLine: "work", dependsOn: { taskIdRanges: [{ start: 1, end: 100_000 }] } });
    await client.task.add("j", { id: "7", commandLine: "work" });
    (await work.started("7")).finish(0);
    await bed.taskIn("j", "7", "completed");
    await expectWaiting("all");
    const started = performance.now();
    await bed.batch.task.add("j", { id: "late", commandLine: "work", dependsOn: { taskIdRanges: [{ start: 1, end: 2_000_000_000 }] } });
    expect(performance.now() - started).toBeLessThan(500);
    await expectWaiting("late");
  });

  it("dependencies on tasks added later, in the same collection or later requests, wait for them", async () => {
    await client.task.addCollection("j", [
      { id: "child", commandLine: "work", dependsOn: { taskIds: ["parent", "later"] } },
      { id: "parent", commandLine: "work" },
    ]);
    (await work.started("parent")).finish(0);
    await expectWaiting("child");
    await client.task.add("j", { id: "LATER", commandLine: "work" });
    (await work.started("LATER")).finish(0);
    await work.started("child");
  });

  it("a dependency that fails blocks its dependents for good; its exit conditions can satisfy them instead", async () => {
    await client.task.addCollection("j", [
      { id: "fails", commandLine: "work" },
      { id: "blocked", commandLine: "work", dependsOn: { taskIds: ["fails"] } },
      { id: "tolerant", commandLine: "work", exitConditions: { exitCodes: [{ code: 3, exitOptions: { dependencyAction: "satisfy" } }] } },
      { id: "after-tolerant", commandLine: "work", dependsOn: { taskIds: ["tolerant"] } },
      { id: "strict", commandLine: "work", exitConditions: { exitCodes: [{ code: 0, exitOptions: { dependencyAction: "block" } }] } },
      { id: "after-strict", commandLine: "work", dependsOn: { taskIds: ["strict"] } },
    ]);
    (await work.started("fails")).finish(1);
    (await work.started("tolerant")).finish(3);
    (await work.started("strict")).finish(0);
    await work.started("after-tolerant");
    await bed.taskIn("j", "strict", "completed");
    await expectWaiting("blocked");
    await expectWaiting("after-strict");
  });

  it("default: satisfy lets dependents of any failing exit code run; retries come first", async () => {
    await client.task.addCollection("j", [
      { id: "flaky", commandLine: "work", constraints: { maxTaskRetryCount: 1 }, exitConditions: { default: { dependencyAction: "satisfy" } } },
      { id: "next", commandLine: "work", dependsOn: { taskIds: ["flaky"] } },
    ]);
    (await work.started("flaky")).finish(2);
    await bed.waitFor(() => work.runs.length === 2 && work.running.length === 1, "the retry of flaky");
    await expectWaiting("next");
    work.running[0]?.finish(2);
    await work.started("next");
  });

  it("a task that could not start takes preProcessingError, else default", async () => {
    const broken = { httpUrl: "http://127.0.0.1:9/nothing/here", filePath: "in.txt" };
    await client.task.addCollection("j", [
      { id: "no-input", commandLine: "work", resourceFiles: [broken], exitConditions: { preProcessingError: { dependencyAction: "satisfy" } } },
      { id: "after-no-input", commandLine: "work", dependsOn: { taskIds: ["no-input"] } },
      {
        id: "no-input-2",
        commandLine: "work",
        resourceFiles: [broken],
        exitConditions: { exitCodes: [{ code: 1, exitOptions: { dependencyAction: "satisfy" } }] },
      },
      { id: "after-no-input-2", commandLine: "work", dependsOn: { taskIds: ["no-input-2"] } },
    ]);
    await work.started("after-no-input");
    const failed = await bed.taskIn("j", "no-input-2", "completed");
    expect(failed.executionInfo?.exitCode).toBeUndefined();
    expect(failed.executionInfo?.failureInfo?.category).toBe("usererror");
    await expectWaiting("after-no-input-2");
  });

  it("a deleted dependency that was satisfied stays satisfied; a dependent waiting on a deleted one waits for a new task of that id", async () => {
    await client.task.addCollection("j", [
      { id: "a", commandLine: "work" },
      { id: "b", commandLine: "work" },
    ]);
    (await work.started("a")).finish(0);
    await bed.taskIn("j", "a", "completed");
    await client.task.deleteMethod("j", "a");
    await client.task.deleteMethod("j", "b");
    await client.task.add("j", { id: "needs-a", commandLine: "work", dependsOn: { taskIds: ["a"] } });
    await work.started("needs-a");
    await client.task.add("j", { id: "needs-b", commandLine: "work", dependsOn: { taskIds: ["b"] } });
    await expectWaiting("needs-b");
    await client.task.add("j", { id: "b", commandLine: "work" });
    (await work.started("b")).finish(0);
    await work.started("needs-b");
  });

  it("tasks in a cycle, or depending on themselves, wait for good: the service documents no cycle check", async () => {
    await client.task.addCollection("j", [
      { id: "x", commandLine: "work", dependsOn: { taskIds: ["y"] } },
      { id: "y", commandLine: "work", dependsOn: { taskIds: ["x"] } },
      { id: "self", commandLine: "work", dependsOn: { taskIds: ["self"] } },
    ]);
    for (const id of ["x", "y", "self"]) await expectWaiting(id);
    const counts = await client.job.getTaskCounts("j");
    expect(counts.taskCounts.active).toBe(3);
  });

  it("refuses dependsOn in a job without usesTaskDependencies (400 TaskDependenciesNotSpecifiedOnJob)", async () => {
    await client.job.add({ id: "plain", poolInfo: { poolId: "p" } });
    const error = await restErrorOf(client.task.add("plain", { id: "t", commandLine: "work", dependsOn: { taskIds: ["a"] } }));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe("TaskDependenciesNotSpecifiedOnJob");
    const [result] = (await client.task.addCollection("plain", [{ id: "t", commandLine: "work", dependsOn: { taskIds: ["a"] } }])).value ?? [];
    expect(result).toMatchObject({ status: "clienterror", taskId: "t", error: { code: "TaskDependenciesNotSpecifiedOnJob" } });
  });

  it("refuses more than 64,000 characters of task ids (400 TaskDependencyListTooLong) and a range that ends before it starts", async () => {
    const ids = Array.from({ length: 1001 }, (_, index) => `t${String(index).padStart(63, "0")}`);
    const tooLong = await restErrorOf(client.task.add("j", { id: "t", commandLine: "work", dependsOn: { taskIds: ids } }));
    expect([tooLong.statusCode, tooLong.code]).toEqual([400, "TaskDependencyListTooLong"]);
    await client.task.add("j", { id: "fits", commandLine: "work", dependsOn: { taskIds: ids.slice(0, 1000) } });
    const backwards = await restErrorOf(client.task.add("j", { id: "t", commandLine: "work", dependsOn: { taskIdRanges: [{ start: 5, end: 4 }] } }));
    expect([backwards.statusCode, backwards.code]).toEqual([400, "InvalidPropertyValue"]);
    const badId = await restErrorOf(client.task.add("j", { id: "t", commandLine: "work", dependsOn: { taskIds: ["no spaces"] } }));
    expect([badId.statusCode, badId.code]).toEqual([400, "InvalidPropertyValue"]);
  });
});
