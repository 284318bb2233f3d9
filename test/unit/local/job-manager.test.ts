/**
 * The Job Manager Task (REST `JobManagerTask`) through @azure/batch 10.2.0 against the
 * in-process server, on a fake node runtime.
 */
import type { BatchServiceClient } from "@azure/batch";
import type { RestError } from "@azure/ms-rest-js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HeldProgram } from "../../support/held-program.js";
import { settle } from "../../support/settle.js";
import { signedFetcher, type BatchHttpResponse } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
let client: BatchServiceClient;
let manager: HeldProgram;
let work: HeldProgram;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  manager = bed.runtime.hold("manager");
  work = bed.runtime.hold("work");
  await bed.addPool("p", { taskSlotsPerNode: 2 });
});

afterEach(async () => {
  await bed.close();
});

function codeOf(response: BatchHttpResponse): string | undefined {
  return (response.json as { code?: string } | undefined)?.code;
}

describe("the job manager task", () => {
  it("is the job's first task, runs alone on its node, and terminates the job with JMComplete when it completes", async () => {
    await client.job.add({
      id: "j",
      poolInfo: { poolId: "p" },
      commonEnvironmentSettings: [{ name: "COMMON", value: "c" }],
      jobManagerTask: { id: "boss", displayName: "Boss", commandLine: "manager", constraints: { maxWallClockTime: "PT1H" } },
    });
    const [first] = await client.task.list("j");
    expect(first).toMatchObject({ id: "boss", displayName: "Boss", commandLine: "manager", constraints: { maxWallClockTime: "PT1H" } });
    const run = await manager.started("boss");
    expect(run.env).toMatchObject({ AZ_BATCH_JOB_ID: "j", AZ_BATCH_TASK_ID: "boss", COMMON: "c" });
    expect(run.env.AZ_BATCH_AUTHENTICATION_TOKEN).toBeUndefined();

    await client.task.add("j", { id: "t", commandLine: "work" });
    await settle(20);
    expect((await client.task.get("j", "t")).state).toBe("active");
    run.finish(5);
    const job = await bed.jobIn("j", "completed");
    expect(job.executionInfo.terminateReason).toBe("JMComplete");
    expect((await client.task.get("j", "boss")).executionInfo).toMatchObject({ exitCode: 5, result: "failure" });
    expect(work.runs).toHaveLength(0);
    expect((await client.job.get("j")).jobManagerTask).toMatchObject({ id: "boss", commandLine: "manager" });
  });

  it("with runExclusive false shares its node; with killJobOnCompletion false its completion leaves the job active", async () => {
    await client.job.add({
      id: "j",
      poolInfo: { poolId: "p" },
      jobManagerTask: { id: "boss", commandLine: "manager", runExclusive: false, killJobOnCompletion: false, allowLowPriorityNode: false },
    });
    const run = await manager.started("boss");
    await client.task.add("j", { id: "t", commandLine: "work" });
    const task = await work.started("t");
    expect(task.env.AZ_BATCH_NODE_ID).toBe(run.env.AZ_BATCH_NODE_ID);
    run.finish(0);
    await bed.taskIn("j", "boss", "completed");
    task.finish(0);
    await bed.taskIn("j", "t", "completed");
    expect((await client.job.get("j")).state).toBe("active");
  });

  it("an exclusive manager waits for a node running nothing", async () => {
    await client.job.add({ id: "other", poolInfo: { poolId: "p" } });
    await client.task.add("other", { id: "busy", commandLine: "work" });
    const busy = await work.started("busy");
    await client.job.add({ id: "j", poolInfo: { poolId: "p" }, jobManagerTask: { id: "boss", commandLine: "manager" } });
    await settle(20);
    expect((await client.task.get("j", "boss")).state).toBe("active");
    busy.finish(0);
    await manager.started("boss");
  });

  it("refuses what the service refuses: a missing id, an id its preparation task has, authenticationTokenSettings", async () => {
    const fetch = signedFetcher(bed.account);
    const missing = await fetch("/jobs", { json: { id: "j", poolInfo: { poolId: "p" }, jobManagerTask: { commandLine: "manager" } } });
    expect([missing.status, codeOf(missing)]).toEqual([400, "MissingRequiredProperty"]);
    const token = await fetch("/jobs", {
      json: { id: "j", poolInfo: { poolId: "p" }, jobManagerTask: { id: "m", commandLine: "manager", authenticationTokenSettings: { access: ["job"] } } },
    });
    expect([token.status, codeOf(token)]).toEqual([400, "UnsupportedProperty"]);
    const same = await client.job
      .add({
        id: "j",
        poolInfo: { poolId: "p" },
        jobPreparationTask: { commandLine: "true" },
        jobManagerTask: { id: "jobpreparation", commandLine: "manager" },
      })
      .then(
        () => undefined,
        (error: RestError) => [error.statusCode, error.code],
      );
    expect(same).toEqual([409, "TaskIdSameAsJobPreparationTask"]);
    expect(await bed.batch.job.list()).toEqual([]);
  });
});
