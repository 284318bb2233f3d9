import { existsSync, statSync, utimesSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CloudJob, CloudTask } from "../../../src/core/models/index.js";
import { OWNER_HEARTBEAT_MS, ownerPidFile } from "../../../src/backends/local/state/data-dir-owner.js";
import { JournalStore } from "../../../src/backends/local/state/journal-store.js";
import type { JobRecord, TaskRecord } from "../../../src/backends/local/state/records.js";

let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

function job(): JobRecord {
  return { job: { id: "job", state: "active", poolInfo: { poolId: "p" } } as unknown as CloudJob, tasks: new Map(), sequence: 0, nextTaskSequence: 0 };
}

function task(index: number): TaskRecord {
  return { jobId: "job", sequence: index, task: { id: `t${index}`, state: "active", displayName: "0" } as unknown as CloudTask };
}

async function lines(): Promise<number> {
  return (await readFile(path.join(dir, "journal.jsonl"), "utf8")).split("\n").filter(Boolean).length;
}

describe("the journal", () => {
  it("compacts itself as changes pile up, and a reopen sees the last value of every record", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "malachite-journal-"));
    const store = JournalStore.open(dir);
    const record = job();
    store.addJob(record);
    const tasks = Array.from({ length: 100 }, (_, i) => task(i));
    for (const t of tasks) store.addTask(record, t);
    for (let change = 1; change <= 30_000; change++) {
      const t = tasks[change % tasks.length] as TaskRecord;
      t.task.displayName = String(change);
      store.changed(t);
    }
    // 30,201 changes were written; compaction keeps the journal within a few times the 101 records.
    expect(await lines()).toBeLessThanOrEqual(10_000);
    store.close();
    expect(await lines()).toBe(101);

    const reopened = JournalStore.open(dir);
    const restored = reopened.jobRecord("job");
    expect(restored.tasks.size).toBe(100);
    expect(reopened.taskRecord("job", "t0").task.displayName).toBe("30000");
    expect(reopened.taskRecord("job", "t99").task.displayName).toBe("29999");
    expect(restored.nextTaskSequence).toBe(100);
    reopened.close();
  });

  it("touches its owner lock while open, so a sweep knows when a crashed owner was last seen, and removes it on close", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      dir = await mkdtemp(path.join(os.tmpdir(), "malachite-journal-"));
      const store = JournalStore.open(path.join(dir, "state"));
      const lock = ownerPidFile(dir);
      const longAgo = new Date(Date.now() - 3_600_000);
      utimesSync(lock, longAgo, longAgo);
      vi.advanceTimersByTime(OWNER_HEARTBEAT_MS - 1);
      expect(Date.now() - statSync(lock).mtimeMs).toBeGreaterThan(3_000_000);
      vi.advanceTimersByTime(1);
      expect(Date.now() - statSync(lock).mtimeMs).toBeLessThan(60_000);
      store.close();
      expect(existsSync(lock)).toBe(false);
      vi.advanceTimersByTime(OWNER_HEARTBEAT_MS); // no heartbeat after close
      expect(existsSync(lock)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
