/** Task dependencies and job disabling after Malachite restarts on the same data directory. */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { LocalBackend } from "../../../src/backends/local/local-backend.js";
import { FakeClock } from "../../support/fake-clock.js";
import { settle, waitFor } from "../../support/settle.js";
import { startOn } from "../../support/start-on-data-dir.js";

const open: LocalBackend[] = [];
let dataDir: string;

afterEach(async () => {
  for (const backend of open.splice(0).reverse()) await backend.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function completed(backend: LocalBackend, taskId: string) {
  return waitFor(
    async () => {
      const task = await backend.batch.task.get("job", taskId);
      return task.state === "completed" && task;
    },
    { what: `task ${taskId} to complete` },
  );
}

describe("task dependencies across a restart", () => {
  it("rebuilds what each waiting task still waits for from the restored tasks", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-deps-restart-"));
    const first = await startOn(dataDir);
    open.push(first.backend);
    first.runtime.programs.set("fail", () => ({ exitCode: 1 }));
    await first.backend.batch.pool.add({ id: "pool", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1, taskSlotsPerNode: 4 });
    await first.backend.batch.job.add({ id: "job", poolInfo: { poolId: "pool" }, usesTaskDependencies: true });
    await first.backend.batch.task.addCollection("job", [
      { id: "ok", commandLine: "/bin/true" },
      { id: "bad", commandLine: "fail" },
      { id: "1", commandLine: "/bin/true" },
      { id: "needs-ok-and-later", commandLine: "/bin/true", dependsOn: { taskIds: ["ok", "later"] } },
      { id: "needs-bad", commandLine: "/bin/true", dependsOn: { taskIds: ["bad"] } },
      { id: "needs-range", commandLine: "/bin/true", dependsOn: { taskIdRanges: [{ start: 1, end: 2 }] } },
    ]);
    for (const id of ["ok", "bad", "1"]) await completed(first.backend, id);

    const second = await startOn(dataDir, new FakeClock(first.clock.now() + 60_000));
    open.push(second.backend);
    await settle(30);
    for (const id of ["needs-ok-and-later", "needs-bad", "needs-range"]) {
      expect((await second.backend.batch.task.get("job", id)).state).toBe("active");
    }
    await second.backend.batch.task.addCollection("job", [
      { id: "later", commandLine: "/bin/true" },
      { id: "2", commandLine: "/bin/true" },
    ]);
    await completed(second.backend, "needs-ok-and-later");
    await completed(second.backend, "needs-range");
    await settle(30);
    expect((await second.backend.batch.task.get("job", "needs-bad")).state).toBe("active");
  });

  it("a job that was disabling when Malachite stopped is disabled after the restart, its running task requeued", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-deps-restart-"));
    const first = await startOn(dataDir);
    open.push(first.backend);
    const held = first.runtime.hold("work");
    await first.backend.batch.pool.add({ id: "pool", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
    await first.backend.batch.job.add({ id: "job", poolInfo: { poolId: "pool" } });
    await first.backend.batch.task.add("job", { id: "t", commandLine: "work" });
    await waitFor(() => held.running.length === 1, { what: "the task to run" });
    await first.backend.batch.job.disable("job", "wait");
    expect((await first.backend.batch.job.get("job")).state).toBe("disabling");

    const second = await startOn(dataDir, new FakeClock(first.clock.now() + 60_000));
    open.push(second.backend);
    second.runtime.programs.set("work", () => ({ exitCode: 0 }));
    const job = await second.backend.batch.job.get("job");
    expect(job.state).toBe("disabled");
    await settle(30);
    const task = await second.backend.batch.task.get("job", "t");
    expect([task.state, task.executionInfo.requeueCount]).toEqual(["active", 1]);
    await second.backend.batch.job.enable("job");
    await completed(second.backend, "t");
  });
});
