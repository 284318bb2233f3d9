/**
 * What jobs' preparation and release tasks did on each node survives a restart on the same data
 * directory (the journal), and a restart counts as the reboot of every node.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { LocalBackend } from "../../../src/backends/local/local-backend.js";
import { FakeClock } from "../../support/fake-clock.js";
import { waitFor } from "../../support/settle.js";
import { startOn } from "../../support/start-on-data-dir.js";

const open: LocalBackend[] = [];
let dataDir: string;

afterEach(async () => {
  for (const backend of open.splice(0).reverse()) await backend.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function completed(backend: LocalBackend, jobId: string, taskId: string): Promise<void> {
  await waitFor(async () => (await backend.batch.task.get(jobId, taskId)).state === "completed", { what: `task ${taskId} to complete` });
}

async function idleNode(backend: LocalBackend): Promise<void> {
  await waitFor(async () => (await backend.batch.computeNode.list("pool")).every((node) => node.state === "idle"), { what: "an idle node" });
}

describe("job preparation and release state across a restart", () => {
  it("keeps each node's record; the preparation task runs again after the reboot unless rerunOnNodeRebootAfterSuccess is false", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-prep-restart-"));
    const first = await startOn(dataDir);
    await first.backend.batch.pool.add({ id: "pool", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
    await idleNode(first.backend);
    await first.backend.batch.job.add({ id: "again", poolInfo: { poolId: "pool" }, jobPreparationTask: { commandLine: "/bin/true" } });
    await first.backend.batch.job.add({
      id: "once",
      poolInfo: { poolId: "pool" },
      jobPreparationTask: { commandLine: "/bin/true", rerunOnNodeRebootAfterSuccess: false },
    });
    for (const job of ["again", "once"]) {
      await first.backend.batch.task.add(job, { id: "t", commandLine: "/bin/true" });
      await completed(first.backend, job, "t");
    }
    const before = await first.backend.batch.job.listPreparationAndReleaseTaskStatus("again");
    expect(before[0]?.jobPreparationTaskExecutionInfo).toMatchObject({ state: "completed", result: "success" });

    const second = await startOn(dataDir, new FakeClock(first.clock.now() + 60_000));
    expect(await second.backend.batch.job.listPreparationAndReleaseTaskStatus("again")).toEqual(before);
    await idleNode(second.backend);
    for (const job of ["again", "once"]) {
      await second.backend.batch.task.add(job, { id: "after", commandLine: "/bin/true" });
      await completed(second.backend, job, "after");
    }
    const preparations = second.runtime.processesOf("jobpreparation").map((process) => process.env.AZ_BATCH_JOB_ID);
    expect(preparations).toEqual(["again"]);
  });

  it("a release task interrupted by the restart runs again once its node is back, and then the job completes", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-prep-restart-"));
    const first = await startOn(dataDir);
    const release = first.runtime.hold("release");
    await first.backend.batch.pool.add({ id: "pool", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
    await idleNode(first.backend);
    await first.backend.batch.job.add({
      id: "job",
      poolInfo: { poolId: "pool" },
      jobPreparationTask: { commandLine: "/bin/true" },
      jobReleaseTask: { commandLine: "release" },
    });
    await first.backend.batch.task.add("job", { id: "t", commandLine: "/bin/true" });
    await completed(first.backend, "job", "t");
    await first.backend.batch.job.terminate("job");
    await waitFor(() => release.running.length === 1, { what: "the release task to run" });

    const second = await startOn(dataDir, new FakeClock(first.clock.now() + 60_000));
    second.runtime.programs.set("release", () => ({ exitCode: 0 }));
    expect((await second.backend.batch.job.get("job")).state).toBe("terminating");
    await waitFor(async () => (await second.backend.batch.job.get("job")).state === "completed", { what: "the job to complete" });
    expect(second.runtime.processesOf("jobrelease")).toHaveLength(1);
    const [status] = await second.backend.batch.job.listPreparationAndReleaseTaskStatus("job");
    expect(status?.jobReleaseTaskExecutionInfo).toMatchObject({ state: "completed", exitCode: 0, result: "success" });
  });
});
