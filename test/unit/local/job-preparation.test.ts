/**
 * Job preparation and release tasks (REST `JobPreparationTask`, `JobReleaseTask`,
 * `Job_ListPreparationAndReleaseTaskStatus`) through @azure/batch 10.2.0 against the in-process
 * server, on a fake node runtime: programs decide exit codes, held ones end when the test says.
 */
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HeldProgram } from "../../support/held-program.js";
import { settle } from "../../support/settle.js";
import { TestBed } from "../../support/test-bed.js";
import { restErrorOf } from "../../support/rejection-of.js";

let bed: TestBed;
let client: BatchServiceClient;
let prep: HeldProgram;
let release: HeldProgram;
let work: HeldProgram;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  prep = bed.runtime.hold("prep");
  release = bed.runtime.hold("release");
  work = bed.runtime.hold("work");
});

afterEach(async () => {
  await bed.close();
});

async function statuses(jobId: string) {
  return [...(await client.job.listPreparationAndReleaseTaskStatus(jobId))];
}

describe("the job preparation task", () => {
  it("runs once per node before the job's first task there; tasks wait in preparing, then run with AZ_BATCH_JOB_PREP_DIR", async () => {
    const { nodes } = await bed.addPool("p", { taskSlotsPerNode: 2 });
    const nodeId = nodes[0]?.id as string;
    await client.job.add({
      id: "j",
      poolInfo: { poolId: "p" },
      commonEnvironmentSettings: [{ name: "COMMON", value: "c" }],
      jobPreparationTask: { commandLine: "prep", environmentSettings: [{ name: "OWN", value: "o" }] },
    });
    await client.task.addCollection("j", [
      { id: "t1", commandLine: "work" },
      { id: "t2", commandLine: "work" },
    ]);
    const preparation = await bed.waitFor(() => prep.running[0], "the preparation task");
    await bed.taskIn("j", "t1", "preparing");
    expect((await client.task.get("j", "t2")).state).toBe("preparing");
    expect((await client.job.getTaskCounts("j")).taskCounts.running).toBe(2);
    expect(preparation.env).toMatchObject({
      AZ_BATCH_TASK_ID: "jobpreparation",
      AZ_BATCH_JOB_ID: "j",
      AZ_BATCH_TASK_DIR: "/mnt/batch/tasks/workitems/j/job-1/jobpreparation",
      COMMON: "c",
      OWN: "o",
    });
    expect(preparation.env.AZ_BATCH_JOB_PREP_DIR).toBeUndefined();
    const [running] = await statuses("j");
    expect(running?.jobPreparationTaskExecutionInfo).toMatchObject({ state: "running", retryCount: 0 });

    preparation.finish(0);
    const task = await work.started("t1");
    await work.started("t2");
    expect(task.env).toMatchObject({
      AZ_BATCH_JOB_PREP_DIR: "/mnt/batch/tasks/workitems/j/job-1/jobpreparation",
      AZ_BATCH_JOB_PREP_WORKING_DIR: "/mnt/batch/tasks/workitems/j/job-1/jobpreparation/wd",
    });
    work.finishAll(0);
    await bed.taskIn("j", "t2", "completed");
    await client.task.add("j", { id: "t3", commandLine: "work" });
    (await work.started("t3")).finish(0);
    await bed.taskIn("j", "t3", "completed");
    expect(bed.runtime.processesOf("jobpreparation")).toHaveLength(1);

    const [status] = await statuses("j");
    expect(status).toMatchObject({ poolId: "p", nodeId, nodeUrl: `${bed.account.batchUrl}/pools/p/nodes/${nodeId}` });
    expect(status?.jobPreparationTaskExecutionInfo).toMatchObject({
      state: "completed",
      exitCode: 0,
      result: "success",
      retryCount: 0,
      taskRootDirectory: "workitems/j/job-1/jobpreparation",
      taskRootDirectoryUrl: `${bed.account.batchUrl}/pools/p/nodes/${nodeId}/files/workitems/j/job-1/jobpreparation`,
    });
    expect(status?.jobReleaseTaskExecutionInfo).toBeUndefined();
    expect((await client.job.get("j")).jobPreparationTask).toMatchObject({ id: "jobpreparation", commandLine: "prep" });
  });

  it("failing after its retries with waitForSuccess: the job's tasks leave that node for another, and never come back", async () => {
    const failOn = new Set<string>();
    bed.runtime.programs.set("picky", (run) => ({ exitCode: failOn.has(run.env.AZ_BATCH_NODE_ID as string) ? 3 : 0 }));
    const { nodes } = await bed.addPool("p");
    const bad = nodes[0]?.id as string;
    failOn.add(bad);
    await client.job.add({
      id: "j",
      poolInfo: { poolId: "p" },
      jobPreparationTask: { id: "setup", commandLine: "picky", constraints: { maxTaskRetryCount: 1 } },
    });
    await client.task.add("j", { id: "t", commandLine: "work" });
    const [failed] = await bed.waitFor(async () => {
      const list = await statuses("j");
      return list[0]?.jobPreparationTaskExecutionInfo?.state === "completed" && list;
    }, "the failed preparation");
    expect(failed?.jobPreparationTaskExecutionInfo).toMatchObject({
      exitCode: 3,
      result: "failure",
      retryCount: 1,
      failureInfo: { category: "usererror", code: "FailureExitCode" },
    });
    expect(bed.runtime.processesOf("setup")).toHaveLength(2);
    const waiting = await bed.taskIn("j", "t", "active");
    expect(waiting.nodeInfo).toBeUndefined();
    expect(waiting.executionInfo?.requeueCount).toBe(0);
    expect(work.runs).toHaveLength(0);

    await client.pool.resize("p", { targetDedicatedNodes: 2 });
    const moved = await work.started("t");
    expect(moved.env.AZ_BATCH_NODE_ID).not.toBe(bad);
    moved.finish(0);
    await client.task.add("j", { id: "later", commandLine: "work" });
    const later = await work.started("later");
    expect(later.env.AZ_BATCH_NODE_ID).not.toBe(bad);
    expect((await statuses("j")).map((s) => s.jobPreparationTaskExecutionInfo?.result).sort()).toEqual(["failure", "success"]);
  });

  it("without waitForSuccess: tasks start at once, and keep coming to the node after it failed", async () => {
    await bed.addPool("p");
    await client.job.add({ id: "j", poolInfo: { poolId: "p" }, jobPreparationTask: { commandLine: "prep", waitForSuccess: false } });
    await client.task.add("j", { id: "t1", commandLine: "work" });
    const first = await work.started("t1");
    const preparation = await bed.waitFor(() => prep.running[0], "the preparation task, run alongside");
    preparation.finish(1);
    first.finish(0);
    await bed.taskIn("j", "t1", "completed");
    await client.task.add("j", { id: "t2", commandLine: "work" });
    (await work.started("t2")).finish(0);
    await bed.taskIn("j", "t2", "completed");
    expect(bed.runtime.processesOf("jobpreparation")).toHaveLength(1);
    expect((await statuses("j"))[0]?.jobPreparationTaskExecutionInfo).toMatchObject({ result: "failure", exitCode: 1 });
  });

  it("a task waiting in preparing counts against the job's maxParallelTasks", async () => {
    await bed.addPool("p", { taskSlotsPerNode: 2 });
    await client.job.add({ id: "j", poolInfo: { poolId: "p" }, maxParallelTasks: 1, jobPreparationTask: { commandLine: "prep" } });
    await client.task.add("j", { id: "t1", commandLine: "work" });
    await bed.taskIn("j", "t1", "preparing");
    const preparation = await bed.waitFor(() => prep.running[0], "the preparation task");
    await client.task.add("j", { id: "t2", commandLine: "work" });
    await settle(20);
    expect((await client.task.get("j", "t2")).state).toBe("active");
    preparation.finish(0);
    (await work.started("t1")).finish(0);
    (await work.started("t2")).finish(0);
    await bed.taskIn("j", "t2", "completed");
  });

  it("a task terminated while it waits ends as terminated; the preparation task goes on", async () => {
    await bed.addPool("p");
    await client.job.add({ id: "j", poolInfo: { poolId: "p" }, jobPreparationTask: { commandLine: "prep" } });
    await client.task.add("j", { id: "t", commandLine: "work" });
    await bed.taskIn("j", "t", "preparing");
    await bed.waitFor(() => prep.running[0], "the preparation task");
    await client.task.terminate("j", "t");
    const task = await bed.taskIn("j", "t", "completed");
    expect(task.executionInfo).toMatchObject({ result: "failure", failureInfo: { code: "TaskEnded" } });
    expect(work.runs).toHaveLength(0);
    expect(prep.running).toHaveLength(1);
  });

  it("the status list pages and takes $filter and $select", async () => {
    await bed.addPool("p", { targetDedicatedNodes: 2 });
    await client.job.add({ id: "j", poolInfo: { poolId: "p" }, jobPreparationTask: { commandLine: "true" } });
    await client.task.addCollection("j", [
      { id: "a", commandLine: "work" },
      { id: "b", commandLine: "work" },
    ]);
    const [a, b] = [await work.started("a"), await work.started("b")];
    const nodeA = a.env.AZ_BATCH_NODE_ID as string;
    expect(b.env.AZ_BATCH_NODE_ID).not.toBe(nodeA);
    const first = await client.job.listPreparationAndReleaseTaskStatus("j", { jobListPreparationAndReleaseTaskStatusOptions: { maxResults: 1 } });
    expect(first).toHaveLength(1);
    expect(first.odatanextLink).toBeDefined();
    expect(await client.job.listPreparationAndReleaseTaskStatusNext(first.odatanextLink as string)).toHaveLength(1);
    const filtered = await client.job.listPreparationAndReleaseTaskStatus("j", {
      jobListPreparationAndReleaseTaskStatusOptions: {
        filter: `nodeId eq '${nodeA}' and jobPreparationTaskExecutionInfo/result eq 'success'`,
        select: "nodeId",
      },
    });
    expect([...filtered].map((item) => ({ ...item }))).toEqual([{ nodeId: nodeA }]);
    const bad = await restErrorOf(
      client.job.listPreparationAndReleaseTaskStatus("j", { jobListPreparationAndReleaseTaskStatusOptions: { filter: "state eq 'x'" } }),
    );
    expect(bad.statusCode).toBe(400);
  });
});

describe("the job release task", () => {
  it("runs on terminate on each node that ran the preparation task; the job stays terminating until it ends, and a delete does not run it again", async () => {
    await bed.addPool("p");
    await client.job.add({
      id: "j",
      poolInfo: { poolId: "p" },
      jobPreparationTask: { commandLine: "true" },
      jobReleaseTask: { commandLine: "release", environmentSettings: [{ name: "R", value: "r" }] },
    });
    await client.task.add("j", { id: "t", commandLine: "true" });
    await bed.taskIn("j", "t", "completed");
    await client.job.terminate("j");
    const cleanup = await bed.waitFor(() => release.running[0], "the release task");
    expect(cleanup.env).toMatchObject({
      AZ_BATCH_TASK_ID: "jobrelease",
      AZ_BATCH_JOB_PREP_DIR: "/mnt/batch/tasks/workitems/j/job-1/jobpreparation",
      AZ_BATCH_TASK_DIR: "/mnt/batch/tasks/workitems/j/job-1/jobrelease",
      R: "r",
    });
    expect((await client.job.get("j")).state).toBe("terminating");
    expect((await statuses("j"))[0]?.jobReleaseTaskExecutionInfo).toMatchObject({ state: "running" });
    cleanup.finish(2);
    const job = await bed.jobIn("j", "completed");
    expect(job.executionInfo.terminateReason).toBe("UserTerminate");
    expect((await statuses("j"))[0]?.jobReleaseTaskExecutionInfo).toMatchObject({
      state: "completed",
      exitCode: 2,
      result: "failure",
      taskRootDirectory: "workitems/j/job-1/jobrelease",
    });
    await client.job.deleteMethod("j");
    await bed.waitFor(async () => !(await bed.batch.job.list()).some((listed) => listed.id === "j"), "the job to go");
    expect(release.runs).toHaveLength(1);
  });

  it("runs on delete; the job stays deleting until it ends, then goes", async () => {
    await bed.addPool("p");
    await client.job.add({
      id: "j",
      poolInfo: { poolId: "p" },
      jobPreparationTask: { commandLine: "true" },
      jobReleaseTask: { id: "bye", commandLine: "release" },
    });
    await client.task.add("j", { id: "t", commandLine: "work" });
    await work.started("t");
    await client.job.deleteMethod("j");
    const cleanup = await bed.waitFor(() => release.running[0], "the release task");
    expect(cleanup.env.AZ_BATCH_TASK_ID).toBe("bye");
    expect((await client.job.get("j")).state).toBe("deleting");
    cleanup.finish(0);
    await bed.waitFor(async () => !(await bed.batch.job.list()).some((listed) => listed.id === "j"), "the job to go");
    expect((await restErrorOf(client.job.get("j"))).code).toBe("JobNotFound");
  });

  it("does not run where the preparation task never ran, and ends a preparation task still running", async () => {
    await bed.addPool("p");
    await client.job.add({ id: "j", poolInfo: { poolId: "p" }, jobPreparationTask: { commandLine: "prep" }, jobReleaseTask: { commandLine: "release" } });
    await client.task.add("j", { id: "t", commandLine: "work" });
    await bed.waitFor(() => prep.running[0], "the preparation task");
    await client.job.terminate("j");
    await bed.jobIn("j", "completed");
    expect(release.runs).toHaveLength(0);
    expect((await statuses("j"))[0]?.jobPreparationTaskExecutionInfo).toMatchObject({
      state: "completed",
      result: "failure",
      failureInfo: { code: "TaskEnded" },
    });
  });
});

describe("job preparation and release errors", () => {
  beforeEach(async () => {
    await bed.addPool("p");
  });

  it("a release task without a preparation task, or longer than 15 minutes, is 400 InvalidPropertyValue", async () => {
    const alone = await restErrorOf(client.job.add({ id: "j", poolInfo: { poolId: "p" }, jobReleaseTask: { commandLine: "release" } }));
    expect([alone.statusCode, alone.code]).toEqual([400, "InvalidPropertyValue"]);
    const long = await restErrorOf(
      client.job.add({
        id: "j",
        poolInfo: { poolId: "p" },
        jobPreparationTask: { commandLine: "prep" },
        jobReleaseTask: { commandLine: "release", maxWallClockTime: "PT1H" },
      }),
    );
    expect([long.statusCode, long.code]).toEqual([400, "InvalidPropertyValue"]);
    expect(await bed.batch.job.list()).toEqual([]);
  });

  it("the status of a job without a preparation task is 409 JobPreparationTaskNotSpecified; of a missing job 404", async () => {
    await client.job.add({ id: "j", poolInfo: { poolId: "p" } });
    const error = await restErrorOf(client.job.listPreparationAndReleaseTaskStatus("j"));
    expect([error.statusCode, error.code]).toEqual([409, "JobPreparationTaskNotSpecified"]);
    expect((await restErrorOf(client.job.listPreparationAndReleaseTaskStatus("nope"))).code).toBe("JobNotFound");
  });

  it("a task may not take the id of the preparation or release task (409)", async () => {
    await client.job.add({
      id: "j",
      poolInfo: { poolId: "p" },
      jobPreparationTask: { commandLine: "prep" },
      jobReleaseTask: { id: "Cleanup", commandLine: "release" },
    });
    const prepared = await restErrorOf(client.task.add("j", { id: "JobPreparation", commandLine: "work" }));
    expect([prepared.statusCode, prepared.code]).toEqual([409, "TaskIdSameAsJobPreparationTask"]);
    const released = await restErrorOf(client.task.add("j", { id: "cleanup", commandLine: "work" }));
    expect([released.statusCode, released.code]).toEqual([409, "TaskIdSameAsJobReleaseTask"]);
    const collection = await client.task.addCollection("j", [{ id: "jobpreparation", commandLine: "work" }]);
    expect(collection.value?.[0]).toMatchObject({ status: "clienterror", error: { code: "TaskIdSameAsJobPreparationTask" } });
  });
});
