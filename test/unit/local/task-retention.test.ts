/**
 * `constraints.retentionTime` enforced on the backend's clock: a completed task's directory is
 * removed once its retention has passed (the task stays; its files answer TaskFilesUnavailable),
 * through the official SDK on a fake runtime and clock; re-armed by Task_Update and after a restart,
 * disarmed by reactivation and deletion.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from "../../../src/backends/local/azurite/azurite-process.js";
import { LocalBackend } from "../../../src/backends/local/local-backend.js";
import { FakeClock } from "../../support/fake-clock.js";
import { FakeNodeRuntime } from "../../support/fake-node-runtime.js";
import type { HeldProgram } from "../../support/held-program.js";
import { rejectionOf, restErrorOf } from "../../support/rejection-of.js";
import { waitFor } from "../../support/settle.js";
import { TestBed } from "../../support/test-bed.js";

const MINUTE = 60_000;
let bed: TestBed;
let client: BatchServiceClient;
let work: HeldProgram;
let nodeId: string;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  work = bed.runtime.hold("work");
  nodeId = (await bed.addPool("p", { taskSlotsPerNode: 2 })).nodes[0]?.id as string;
  await bed.addJob("j", "p");
});

afterEach(async () => {
  await bed.close();
});

/** Whether the task's directory is still on the node, as the node's file list shows it. */
async function directoryOnNode(taskId: string): Promise<boolean> {
  const files = await bed.batch.file.listFromComputeNode("p", nodeId, { recursive: true });
  return files.some((file) => file.name === `workitems/j/job-1/${taskId}/stdout.txt`);
}

/** Adds a task and finishes its process with `exitCode`; resolves once it is completed. */
async function completed(taskId: string, retentionTime: string, exitCode = 0): Promise<void> {
  await client.task.add("j", { id: taskId, commandLine: "work", constraints: { retentionTime } });
  (await work.started(taskId)).finish({ exitCode, stdout: "out\n" });
  await bed.taskIn("j", taskId, "completed");
}

describe("retentionTime", () => {
  it("removes a completed task's directory once its retention has passed; the task stays, its files answer TaskFilesUnavailable", async () => {
    await completed("t", "PT10M");
    expect((await client.file.listFromTask("j", "t")).map((file) => file.name)).toContain("stdout.txt");
    await bed.clock.advance(9 * MINUTE);
    expect(await directoryOnNode("t")).toBe(true);
    await bed.clock.advance(MINUTE);
    await bed.waitFor(async () => !(await directoryOnNode("t")), "the task directory to be removed");
    const listing = await restErrorOf(client.file.listFromTask("j", "t"));
    expect([listing.statusCode, listing.code]).toEqual([409, "TaskFilesUnavailable"]);
    expect((await restErrorOf(client.file.getFromTask("j", "t", "stdout.txt"))).statusCode).toBe(409);
    expect((await restErrorOf(client.file.deleteFromTask("j", "t", "stdout.txt"))).code).toBe("TaskFilesUnavailable");
    expect((await client.task.get("j", "t")).state).toBe("completed");
  });

  it("counts from the task's end, not its start, and leaves other tasks' directories alone", async () => {
    await client.task.add("j", { id: "slow", commandLine: "work", constraints: { retentionTime: "PT10M" } });
    const run = await work.started("slow");
    await completed("kept", "P7D");
    await bed.clock.advance(30 * MINUTE);
    run.finish(0);
    await bed.taskIn("j", "slow", "completed");
    await bed.clock.advance(9 * MINUTE);
    expect(await directoryOnNode("slow")).toBe(true);
    await bed.clock.advance(MINUTE);
    await bed.waitFor(async () => !(await directoryOnNode("slow")), "the slow task's directory to be removed");
    expect(await directoryOnNode("kept")).toBe(true);
  });

  it("a retention changed by Task_Update re-arms: longer keeps the files, shorter and already passed removes them", async () => {
    await completed("t", "PT10M");
    await client.task.update("j", "t", { constraints: { retentionTime: "PT1H" } });
    await bed.clock.advance(20 * MINUTE);
    expect(await directoryOnNode("t")).toBe(true);
    expect((await client.file.listFromTask("j", "t")).length).toBeGreaterThan(0);
    await client.task.update("j", "t", { constraints: { retentionTime: "PT5M" } });
    expect((await restErrorOf(client.file.listFromTask("j", "t"))).code).toBe("TaskFilesUnavailable");
    await bed.clock.advance(0);
    await bed.waitFor(async () => !(await directoryOnNode("t")), "the task directory to be removed");
  });

  it("a reactivated task's timer is disarmed: it runs past the old retention and keeps its directory", async () => {
    await completed("t", "PT10M", 1);
    await bed.clock.advance(5 * MINUTE);
    await client.task.reactivate("j", "t");
    const rerun = await work.started("t");
    await bed.clock.advance(20 * MINUTE);
    expect(await directoryOnNode("t")).toBe(true);
    expect((await client.file.listFromTask("j", "t")).length).toBeGreaterThan(0);
    rerun.finish(0);
    await bed.taskIn("j", "t", "completed");
    await bed.clock.advance(10 * MINUTE);
    await bed.waitFor(async () => !(await directoryOnNode("t")), "the rerun's directory to be removed 10 minutes after its end");
  });

  it("a deleted task's timer is cancelled", async () => {
    await completed("t", "PT10M");
    const before = bed.clock.pendingTimers;
    await client.task.deleteMethod("j", "t");
    expect(bed.clock.pendingTimers).toBe(before - 1);
  });
});

describe("retentionTime after a restart on the same data directory", () => {
  let dataDir: string;
  const open: LocalBackend[] = [];

  afterEach(async () => {
    for (const backend of open.splice(0).reverse()) await backend.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function startOn(clock: FakeClock): Promise<{ backend: LocalBackend; runtime: FakeNodeRuntime }> {
    const runtime = new FakeNodeRuntime(clock);
    const backend = await LocalBackend.start(
      { dataDir, azurite: { port: 0 } },
      {
        runtime,
        clock,
        nodeImage: async () => "malachite-node:fake",
        startBlobService: async () => ({
          accountName: AZURITE_ACCOUNT_NAME,
          accountKey: AZURITE_ACCOUNT_KEY,
          blobEndpoint: `http://127.0.0.1:9/${AZURITE_ACCOUNT_NAME}`,
          connectionString: "",
          stop: async () => undefined,
        }),
      },
    );
    open.push(backend);
    return { backend, runtime };
  }

  it("is re-armed from the journal: due later, the directory goes then; due while stopped, at once", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-retention-"));
    const clock = new FakeClock();
    const first = await startOn(clock);
    const batch = first.backend.batch;
    await batch.pool.add({ id: "p", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
    const node = await waitFor(async () => (await batch.computeNode.list("p")).find((n) => n.state === "idle"), { what: "an idle node" });
    await batch.job.add({ id: "j", poolInfo: { poolId: "p" } });
    await batch.task.add("j", { id: "soon", commandLine: "echo a", constraints: { retentionTime: "PT10M" } });
    await batch.task.add("j", { id: "later", commandLine: "echo b", constraints: { retentionTime: "PT1H" } });
    await waitFor(async () => (await batch.task.list("j")).every((t) => t.state === "completed"), { what: "completed tasks" });
    await first.backend.close();

    const later = new FakeClock(clock.now() + 20 * MINUTE); // time passed while Malachite was stopped
    const second = await startOn(later);
    const files = (id: string) => second.backend.batch.file.listFromTask("j", id);
    expect((await rejectionOf(files("soon"))).code).toBe("TaskFilesUnavailable");
    expect((await files("later")).map((f) => f.name)).toContain("stdout.txt");
    await later.advance(0);
    const onNode = async () => (await second.backend.batch.file.listFromComputeNode("p", node.id, { recursive: true })).map((f) => f.name);
    await waitFor(async () => !(await onNode()).includes("workitems/j/job-1/soon"), { what: "the expired directory to be removed" });
    await later.advance(40 * MINUTE);
    await waitFor(async () => !(await onNode()).includes("workitems/j/job-1/later"), { what: "the second directory to be removed" });
    expect((await rejectionOf(files("later"))).code).toBe("TaskFilesUnavailable");
  });
});
