import { afterEach, describe, expect, it } from "vitest";
import type { CloudTask, TaskCounts, TaskCountsResult, TaskState } from "../../../src/core/models/index.js";
import type { HeldProgram } from "../../support/held-program.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
let work: HeldProgram;

afterEach(async () => {
  await bed.close();
});

const STATES: readonly TaskState[] = ["active", "preparing", "running", "completed"];

/** The counts `getTaskCounts` must give, worked out from every task (what the service's counts mean: preparing counts as running). */
function countsOf(tasks: readonly CloudTask[]): TaskCountsResult {
  const taskCounts: TaskCounts = { active: 0, running: 0, completed: 0, succeeded: 0, failed: 0 };
  const taskSlotCounts: TaskCounts = { ...taskCounts };
  for (const task of tasks) {
    const buckets: (keyof TaskCounts)[] = [task.state === "preparing" ? "running" : task.state];
    if (task.state === "completed") buckets.push(task.executionInfo.result === "success" ? "succeeded" : "failed");
    for (const bucket of buckets) {
      taskCounts[bucket]++;
      taskSlotCounts[bucket] += task.requiredSlots;
    }
  }
  return { taskCounts, taskSlotCounts };
}

/** Every index of the job agrees with its tasks: counts, and each state's page, through the backend and the SDK. */
async function expectIndexesExact(jobId: string): Promise<void> {
  const tasks = await bed.batch.task.list(jobId);
  expect(await bed.batch.job.getTaskCounts(jobId)).toEqual(countsOf(tasks));
  const client = await bed.client();
  for (const state of STATES) {
    const expected = tasks.filter((task) => task.state === state).map((task) => task.id);
    const page = await bed.batch.task.listPage?.(jobId, { skip: 0, maxResults: 1000, state });
    expect(page?.value.map((task) => task.id).sort()).toEqual([...expected].sort());
    const listed = await client.task.list(jobId, { taskListOptions: { filter: `state eq '${state}'` } });
    expect(listed.map((task) => task.id).sort()).toEqual([...expected].sort());
  }
}

describe("the job's task index", () => {
  it("keeps counts and per-state sets exact through run, success, failure, terminate, reactivate, requeue and delete", async () => {
    bed = await TestBed.start({ server: true });
    work = bed.runtime.hold("work");
    await bed.addPool("p", { targetDedicatedNodes: 1, taskSlotsPerNode: 4 });
    await bed.addJob("j", "p");
    await bed.batch.task.addCollection(
      "j",
      Array.from({ length: 10 }, (_, i) => ({ id: `t${i}`, commandLine: "work", requiredSlots: i < 2 ? 2 : 1 })),
    );
    await bed.waitFor(() => work.running.length === 2, "t0 and t1 running (2 slots each of 4)");
    await expectIndexesExact("j");

    (await work.started("t0")).finish(0);
    (await work.started("t1")).finish(3);
    await bed.taskIn("j", "t1", "completed");
    await bed.waitFor(() => work.running.length === 4, "four more tasks running");
    await expectIndexesExact("j");

    await bed.batch.task.terminate("j", "t9");
    await bed.batch.task.reactivate("j", "t1");
    await bed.batch.task.delete("j", "t8");
    await expectIndexesExact("j");

    await (await bed.client()).job.disable("j", "requeue");
    await bed.waitFor(async () => (await bed.batch.job.get("j")).state === "disabled", "the job disabled");
    await expectIndexesExact("j");
    const counts = await bed.batch.job.getTaskCounts("j");
    expect(counts.taskCounts).toMatchObject({ running: 0, completed: 2, succeeded: 1, failed: 1 });
  });
});

describe("tasks read from the local backend", () => {
  it("are frozen copies: a caller cannot change the stored task, and a returned task never changes afterwards", async () => {
    bed = await TestBed.start();
    work = bed.runtime.hold("work");
    await bed.addPool("p");
    await bed.addJob("j", "p");
    const added = await bed.batch.task.add("j", { id: "t", commandLine: "work", environmentSettings: [{ name: "A", value: "1" }] });
    const read = await bed.batch.task.get("j", "t");
    const [listed] = await bed.batch.task.list("j");
    for (const task of [added, read, listed as CloudTask]) {
      expect(() => Object.assign(task, { commandLine: "changed" })).toThrow(TypeError);
      expect(() => Object.assign(task.environmentSettings?.[0] ?? {}, { value: "2" })).toThrow(TypeError);
      expect(() => Object.assign(task.executionInfo, { retryCount: 9 })).toThrow(TypeError);
    }
    const again = await bed.batch.task.get("j", "t");
    expect(again).toMatchObject({ commandLine: "work", environmentSettings: [{ name: "A", value: "1" }], executionInfo: { retryCount: 0 } });

    await work.started("t");
    const running = await bed.taskIn("j", "t", "running");
    expect(read.state).toBe("active");
    expect(read.executionInfo.startTime).toBeUndefined();
    expect(running.eTag).not.toBe(read.eTag);
    // The same version is one shared copy until the task changes again.
    expect(await bed.batch.task.get("j", "t")).toBe(running);
  });
});

describe("task list pages", () => {
  it("reads a job page by page in creation order, with $filter and $select, without a task twice or missed", async () => {
    bed = await TestBed.start({ server: true });
    work = bed.runtime.hold("work");
    await bed.addPool("p", { targetDedicatedNodes: 1, taskSlotsPerNode: 3 });
    await bed.addJob("j", "p");
    const ids = Array.from({ length: 45 }, (_, i) => `task-${String(i).padStart(2, "0")}`);
    await bed.batch.task.addCollection(
      "j",
      [...ids].reverse().map((id) => ({ id, commandLine: "work" })),
    );
    await bed.waitFor(() => work.running.length === 3, "three tasks running");
    const client = await bed.client();

    const readAll = async (options: { filter?: string; select?: string; maxResults: number }) => {
      let page = await client.task.list("j", { taskListOptions: options });
      const pages = [page];
      while (page.odatanextLink) pages.push((page = await client.task.listNext(page.odatanextLink)));
      return pages;
    };

    const all = await readAll({ maxResults: 7 });
    expect(all.map((page) => page.length)).toEqual([7, 7, 7, 7, 7, 7, 3]);
    expect(all.flat().map((task) => task.id)).toEqual([...ids].reverse());

    const active = await readAll({ filter: "state eq 'active'", select: "id,state", maxResults: 10 });
    expect(active.map((page) => page.length)).toEqual([10, 10, 10, 10, 2]);
    expect(active.flat().every((task) => task.state === "active" && task.commandLine === undefined)).toBe(true);
    expect(new Set(active.flat().map((task) => task.id)).size).toBe(42);

    const running = await readAll({ filter: "state eq 'Running' and startswith(id, 'task-4')", select: "id", maxResults: 2 });
    expect(running.flat().map((task) => task.id)).toEqual(["task-44", "task-43", "task-42"]);
    expect(running.map((page) => page.length)).toEqual([2, 1]);

    const none = await readAll({ filter: "state eq 'completed'", maxResults: 5 });
    expect(none.flat()).toEqual([]);
    const other = await readAll({ filter: "id eq 'task-07' or id eq 'task-30'", maxResults: 1 });
    expect(other.flat().map((task) => task.id)).toEqual(["task-30", "task-07"]);
  });

  it("refuses a bad $filter before reading the job", async () => {
    bed = await TestBed.start({ server: true });
    const client = await bed.client();
    await expect(client.task.list("nojob", { taskListOptions: { filter: "state eq" } })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.task.list("nojob")).rejects.toMatchObject({ statusCode: 404, code: "JobNotFound" });
  });
});
