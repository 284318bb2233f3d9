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

describe("the task index after a restart", () => {
  it("is derived from the restored tasks: counts, state pages and creation order as before, and kept from then on", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-index-restart-"));
    const first = await startOn(dataDir);
    open.push(first.backend);
    first.runtime.programs.set("fail", () => ({ exitCode: 2 }));
    const held = first.runtime.hold("work");
    await first.backend.batch.pool.add({ id: "pool", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1, taskSlotsPerNode: 1 });
    await first.backend.batch.job.add({ id: "job", poolInfo: { poolId: "pool" } });
    await first.backend.batch.task.addCollection("job", [
      { id: "ok", commandLine: "/bin/true" },
      { id: "bad", commandLine: "fail" },
      { id: "held", commandLine: "work" },
      { id: "queued", commandLine: "/bin/true", requiredSlots: 1 },
    ]);
    await waitFor(() => held.running.length === 1, { what: "the held task to run" });
    await first.backend.batch.task.delete("job", "bad");
    const before = await first.backend.batch.job.getTaskCounts("job");
    expect(before.taskCounts).toEqual({ active: 1, running: 1, completed: 1, succeeded: 1, failed: 0 });

    const second = await startOn(dataDir, new FakeClock(first.clock.now() + 60_000));
    open.push(second.backend);
    const held2 = second.runtime.hold("work");
    const batch = second.backend.batch;
    expect((await batch.task.list("job")).map((task) => task.id)).toEqual(["ok", "held", "queued"]);
    const restored = await batch.job.getTaskCounts("job");
    expect(restored.taskCounts.completed).toBe(1);
    expect(restored.taskCounts.active + restored.taskCounts.running).toBe(2);

    // The held task is requeued and runs again on the rebooted node; then "queued" runs and completes.
    await waitFor(() => held2.running.length === 1, { what: "the requeued task to run again" });
    expect((await batch.task.listPage?.("job", { skip: 0, maxResults: 10, state: "running" }))?.value.map((task) => task.id)).toEqual(["held"]);
    held2.running[0]?.finish(1);
    await waitFor(async () => (await batch.job.getTaskCounts("job")).taskCounts.completed === 3, { what: "every task to complete" });
    expect(await batch.job.getTaskCounts("job")).toEqual({
      taskCounts: { active: 0, running: 0, completed: 3, succeeded: 2, failed: 1 },
      taskSlotCounts: { active: 0, running: 0, completed: 3, succeeded: 2, failed: 1 },
    });
    expect((await batch.task.listPage?.("job", { skip: 0, maxResults: 10, state: "completed" }))?.value).toHaveLength(3);
  });
});
