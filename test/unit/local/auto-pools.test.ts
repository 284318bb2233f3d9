/**
 * Auto pools (`poolInfo.autoPoolSpecification`) through @azure/batch 10.2.0 against the
 * in-process server: the pool a job or a job schedule gets, its id, its nodes and tasks, its
 * deletion when its lifetime ends (or not, with keepAlive), a pool that cannot be created, the
 * service's refusals, and what Job_Patch may change.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   signed requests' bodies are untyped JSON here, read as the wire carries them. */
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HeldProgram } from "../../support/held-program.js";
import { restErrorOf } from "../../support/rejection-of.js";
import { signedFetcher, type BatchFetch } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
let client: BatchServiceClient;
let batch: BatchFetch;
let work: HeldProgram;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  batch = signedFetcher(bed.account);
  work = bed.runtime.hold("work");
});

afterEach(async () => {
  await bed.close();
});

const POOL: BatchServiceModels.PoolSpecification = { vmSize: "standard_d2s_v3", targetDedicatedNodes: 2 };
const GUID = "[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}";

function autoPool(extra: Partial<BatchServiceModels.AutoPoolSpecification> = {}): BatchServiceModels.PoolInformation {
  return { autoPoolSpecification: { autoPoolIdPrefix: "render", poolLifetimeOption: "job", pool: POOL, ...extra } };
}

async function poolIdOf(jobId: string): Promise<string> {
  return bed.waitFor(async () => (await client.job.get(jobId)).executionInfo?.poolId, `the pool of job ${jobId}`);
}

/** Whether the pool is gone or going: its lifetime was ended by the service. */
async function deletedOrDeleting(poolId: string): Promise<boolean> {
  const pools = await client.pool.list();
  const pool = pools.find((candidate) => candidate.id === poolId);
  return pool === undefined || pool.state === "deleting";
}

function idleNodes(poolId: string): Promise<BatchServiceModels.ComputeNode[]> {
  return bed.waitFor(async () => {
    const nodes = await client.computeNode.list(poolId);
    return nodes.length === 2 && nodes.every((node) => node.state === "idle") && nodes;
  }, `two idle nodes in ${poolId}`);
}

describe("a job's auto pool (poolLifetimeOption job)", () => {
  it("is an ordinary pool named by the prefix, its tasks run there, and it goes when the job completes", async () => {
    await client.job.add({ id: "j", poolInfo: autoPool(), onAllTasksComplete: "terminatejob" });
    const poolId = await poolIdOf("j");
    expect(poolId).toMatch(new RegExp(`^render_${GUID}$`));
    const job = await client.job.get("j");
    expect(job.poolInfo).toEqual({ autoPoolSpecification: { autoPoolIdPrefix: "render", poolLifetimeOption: "job", pool: POOL } });
    const pool = await bed.waitFor(() => client.pool.get(poolId), "the auto pool");
    expect(pool).toMatchObject({ id: poolId, vmSize: "standard_d2s_v3", targetDedicatedNodes: 2 });
    const nodes = await idleNodes(poolId);

    await client.task.add("j", { id: "t", commandLine: "work" });
    const run = await work.started("t");
    const running = await client.task.get("j", "t");
    expect(running.nodeInfo?.poolId).toBe(poolId);
    expect(nodes.map((node) => node.id)).toContain(running.nodeInfo?.nodeId);
    expect(await deletedOrDeleting(poolId)).toBe(false);
    run.finish(0);

    await bed.jobIn("j", "completed");
    expect(await deletedOrDeleting(poolId)).toBe(true);
    await bed.waitFor(async () => !(await client.pool.exists(poolId)).body, "the auto pool to be gone");
  });

  it("without a prefix is named by a GUID; each job gets its own", async () => {
    await client.job.add({ id: "a", poolInfo: { autoPoolSpecification: { poolLifetimeOption: "job", pool: POOL } } });
    await client.job.add({ id: "b", poolInfo: { autoPoolSpecification: { poolLifetimeOption: "job", pool: POOL } } });
    const [a, b] = [await poolIdOf("a"), await poolIdOf("b")];
    expect(a).toMatch(new RegExp(`^${GUID}$`));
    expect(a).not.toBe(b);
  });

  it("goes when the job is terminated or deleted, and stays with keepAlive", async () => {
    await client.job.add({ id: "ended", poolInfo: autoPool() });
    await client.job.add({ id: "deleted", poolInfo: autoPool() });
    await client.job.add({ id: "kept", poolInfo: autoPool({ keepAlive: true }) });
    const [ended, deleted, kept] = [await poolIdOf("ended"), await poolIdOf("deleted"), await poolIdOf("kept")];
    for (const poolId of [ended, deleted, kept]) await idleNodes(poolId);

    await client.job.terminate("ended");
    await bed.jobIn("ended", "completed");
    expect(await deletedOrDeleting(ended)).toBe(true);
    await client.job.deleteMethod("deleted");
    await bed.waitFor(async () => !(await client.job.list()).some((job) => job.id === "deleted"), "the job to be gone");
    expect(await deletedOrDeleting(deleted)).toBe(true);
    await client.job.terminate("kept");
    await bed.jobIn("kept", "completed");
    expect(await deletedOrDeleting(kept)).toBe(false);
    expect((await client.pool.get(kept)).state).toBe("active");
  });

  it("goes when the job's wall clock runs out", async () => {
    await client.job.add({ id: "j", poolInfo: autoPool(), constraints: { maxWallClockTime: "PT1H" } });
    const poolId = await poolIdOf("j");
    await idleNodes(poolId);
    await bed.clock.advance(3600_000);
    expect((await bed.jobIn("j", "completed")).executionInfo?.terminateReason).toBe("MaxWallClockTimeExpiry");
    expect(await deletedOrDeleting(poolId)).toBe(true);
  });
});

describe("a job schedule's auto pool", () => {
  it("jobschedule: one pool, made with the first job, for every job, gone when the schedule completes", async () => {
    const jobSpecification = { poolInfo: autoPool({ poolLifetimeOption: "jobschedule" }) };
    await client.jobSchedule.add({ id: "s", schedule: { recurrenceInterval: "PT1H" }, jobSpecification });
    const first = await poolIdOf("s:job-1");
    expect(first).toMatch(new RegExp(`^render_${GUID}$`));
    await idleNodes(first);
    await client.job.terminate("s:job-1");
    await bed.jobIn("s:job-1", "completed");
    expect(await deletedOrDeleting(first)).toBe(false);

    await bed.clock.advance(3600_000);
    expect(await poolIdOf("s:job-2")).toBe(first);
    await client.task.add("s:job-2", { id: "t", commandLine: "work" });
    (await work.started("t")).finish(0);
    expect((await bed.taskIn("s:job-2", "t", "completed")).nodeInfo?.poolId).toBe(first);
    expect((await client.pool.list()).map((pool) => pool.id)).toEqual([first]);

    await client.jobSchedule.terminate("s");
    await bed.waitFor(async () => (await client.jobSchedule.get("s")).state === "completed", "the schedule to complete");
    expect(await deletedOrDeleting(first)).toBe(true);
  });

  it("jobschedule: the pool goes when the schedule is deleted; job: each job of a schedule gets its own", async () => {
    await client.jobSchedule.add({
      id: "shared",
      schedule: { recurrenceInterval: "PT1H" },
      jobSpecification: { poolInfo: autoPool({ poolLifetimeOption: "jobschedule" }) },
    });
    await client.jobSchedule.add({ id: "own", schedule: { recurrenceInterval: "PT1H" }, jobSpecification: { poolInfo: autoPool() } });
    const shared = await poolIdOf("shared:job-1");
    const own1 = await poolIdOf("own:job-1");
    await client.job.terminate("own:job-1");
    await bed.jobIn("own:job-1", "completed");
    expect(await deletedOrDeleting(own1)).toBe(true);
    await bed.clock.advance(3600_000);
    const own2 = await poolIdOf("own:job-2");
    expect(own2).not.toBe(own1);

    await client.jobSchedule.deleteMethod("shared");
    await bed.waitFor(async () => !(await client.jobSchedule.exists("shared")).body, "the schedule to be gone");
    expect(await deletedOrDeleting(shared)).toBe(true);
  });
});

describe("an auto pool that cannot be created", () => {
  it("completes its job with the scheduling error; the job's tasks stay active", async () => {
    await client.job.add({
      id: "packages",
      poolInfo: autoPool({ pool: { ...POOL, applicationPackageReferences: [{ applicationId: "missing" }] } }),
      jobManagerTask: { id: "manager", commandLine: "work" },
    });
    const job = await bed.jobIn("packages", "completed");
    expect(job.executionInfo?.schedulingError).toMatchObject({
      category: "usererror",
      code: "InvalidApplicationPackageReferencesInAutoPool",
      message: "One or more application packages specified for the pool are invalid.",
    });
    expect(job.executionInfo?.terminateReason).toBeUndefined();
    expect(job.executionInfo?.poolId).toBeUndefined();
    expect((await client.task.get("packages", "manager")).state).toBe("active");
    expect(await client.pool.list()).toHaveLength(0);

    const formula = { vmSize: "standard_d2s_v3", enableAutoScale: true, autoScaleFormula: "$TargetDedicatedNodes = ;" };
    await client.job.add({ id: "formula", poolInfo: autoPool({ pool: formula }) });
    expect((await bed.jobIn("formula", "completed")).executionInfo?.schedulingError).toMatchObject({
      category: "usererror",
      code: "InvalidAutoScaleFormulaInAutoPool",
    });
  });
});

describe("what the service refuses", () => {
  async function refusal(poolInfo: unknown, path = "/jobs"): Promise<[number, string, string | undefined]> {
    const json = path === "/jobs" ? { id: "j", poolInfo } : { id: "s", schedule: {}, jobSpecification: { poolInfo } };
    const answer = await batch(path, { json });
    const property = (answer.json.values as { key: string; value: string }[] | undefined)?.find((detail) => detail.key === "PropertyName");
    return [answer.status, answer.json.code as string, property?.value];
  }
  const spec = { poolLifetimeOption: "job", pool: POOL };
  const at = "poolInfo.autoPoolSpecification";

  it("names the property by its full path, for jobs and schedules' jobs", async () => {
    expect(await refusal({ autoPoolSpecification: { ...spec, autoPoolIdPrefix: "p".repeat(21) } })).toEqual([
      400,
      "InvalidPropertyValue",
      `${at}.autoPoolIdPrefix`,
    ]);
    expect(await refusal({ autoPoolSpecification: { ...spec, autoPoolIdPrefix: "a:b" } })).toEqual([400, "InvalidPropertyValue", `${at}.autoPoolIdPrefix`]);
    expect(await refusal({ autoPoolSpecification: { pool: POOL } })).toEqual([400, "MissingRequiredProperty", `${at}.poolLifetimeOption`]);
    expect(await refusal({ autoPoolSpecification: { poolLifetimeOption: "job" } })).toEqual([400, "MissingRequiredProperty", `${at}.pool`]);
    expect(await refusal({ autoPoolSpecification: { ...spec, poolLifetimeOption: "jobschedule" } })).toEqual([
      400,
      "InvalidPropertyValue",
      `${at}.poolLifetimeOption`,
    ]);
    expect(await refusal({ poolId: "p", autoPoolSpecification: spec })).toEqual([400, "InvalidPropertyValue", "poolInfo.poolId"]);
    const extensions = {
      imageReference: { publisher: "canonical" },
      nodeAgentSKUId: "batch.node.ubuntu 22.04",
      extensions: [{ name: "e", publisher: "p", type: "t" }],
    };
    expect(await refusal({ autoPoolSpecification: { ...spec, pool: { ...POOL, virtualMachineConfiguration: extensions } } })).toEqual([
      400,
      "UnsupportedProperty",
      `${at}.pool.virtualMachineConfiguration.extensions`,
    ]);
    expect(await refusal({ autoPoolSpecification: { ...spec, pool: { vmSize: "x", targetDedicatedNodes: 5000 } } })).toEqual([
      400,
      "InvalidPropertyValue",
      `${at}.pool.targetDedicatedNodes`,
    ]);
    const nfs = { nfsMountConfiguration: { source: "s", relativeMountPath: "m" } };
    expect(await refusal({ autoPoolSpecification: { ...spec, pool: { ...POOL, mountConfiguration: [nfs] } } })).toEqual([
      400,
      "UnsupportedProperty",
      `${at}.pool.mountConfiguration[0].nfsMountConfiguration`,
    ]);
    const noPassword = { ...POOL, userAccounts: [{ name: "worker" }] };
    expect(await refusal({ autoPoolSpecification: { ...spec, pool: noPassword } })).toEqual([
      400,
      "MissingRequiredProperty",
      `${at}.pool.userAccounts[0].password`,
    ]);
    expect(await refusal({ autoPoolSpecification: { ...spec, pool: { ...POOL, targetDedicatedNodes: 5000 } } }, "/jobschedules")).toEqual([
      400,
      "InvalidPropertyValue",
      `jobSpecification.${at}.pool.targetDedicatedNodes`,
    ]);
    expect(await client.job.list()).toHaveLength(0);
    expect(await client.pool.list()).toHaveLength(0);
  });

  it("keeps no password of the auto pool's user accounts", async () => {
    const pool = { ...POOL, userAccounts: [{ name: "worker", password: "s3cret!" }] };
    await client.job.add({ id: "j", poolInfo: autoPool({ pool }) });
    const job = await batch("/jobs/j");
    expect(job.text).not.toContain("s3cret!");
    expect(job.json.poolInfo.autoPoolSpecification.pool.userAccounts).toEqual([{ name: "worker" }]);
    const poolId = await poolIdOf("j");
    expect((await bed.waitFor(() => client.pool.get(poolId), "the auto pool")).userAccounts).toEqual([{ name: "worker" }]);
  });
});

describe("Job_Patch and Job_Update of a job on an auto pool", () => {
  it("changes keepAlive only while the job is disabled, and nothing else of the auto pool", async () => {
    await client.job.add({ id: "j", poolInfo: autoPool() });
    const poolId = await poolIdOf("j");
    const active = await restErrorOf(client.job.patch("j", { poolInfo: autoPool({ keepAlive: true }) }));
    expect([active.statusCode, active.code]).toEqual([409, "OperationInvalidForCurrentState"]);
    // The same poolInfo again changes nothing, in any state.
    await client.job.patch("j", { poolInfo: autoPool(), priority: 5 });

    await client.job.disable("j", "requeue");
    await bed.jobIn("j", "disabled");
    const prefix = await restErrorOf(client.job.patch("j", { poolInfo: autoPool({ autoPoolIdPrefix: "other" }) }));
    expect([prefix.statusCode, prefix.code]).toEqual([400, "InvalidPropertyValue"]);
    const moved = await restErrorOf(client.job.update("j", { poolInfo: { poolId: "elsewhere" } }));
    expect([moved.statusCode, moved.code]).toEqual([400, "InvalidPropertyValue"]);
    await client.job.update("j", { poolInfo: autoPool({ keepAlive: true }) });
    expect((await client.job.get("j")).poolInfo?.autoPoolSpecification?.keepAlive).toBe(true);
    expect((await client.job.get("j")).executionInfo?.poolId).toBe(poolId);

    await client.job.terminate("j");
    await bed.jobIn("j", "completed");
    expect(await deletedOrDeleting(poolId)).toBe(false);
  });

  it("a job on an existing pool cannot move to an auto pool", async () => {
    await client.job.add({ id: "j", poolInfo: { poolId: "p" } });
    await client.job.disable("j", "requeue");
    await bed.jobIn("j", "disabled");
    const error = await restErrorOf(client.job.patch("j", { poolInfo: autoPool() }));
    expect([error.statusCode, error.code]).toEqual([400, "InvalidPropertyValue"]);
  });
});
