import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotModified } from "../../../src/core/access-conditions.js";
import type { HeldProgram } from "../../support/held-program.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
let work: HeldProgram;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  work = bed.runtime.hold("work");
  await bed.addPool("p");
  await bed.addJob("j", "p");
});

afterEach(async () => {
  await bed.close();
});

describe("ETags and Last-Modified follow state changes", () => {
  it("gives a task a new ETag and lastModified on every state change", async () => {
    const added = await bed.batch.task.add("j", { id: "t", commandLine: "work" });
    await bed.clock.advance(1_000);
    const run = await work.started("t");
    const running = await bed.batch.task.get("j", "t");
    await bed.clock.advance(1_000);
    run.finish(0);
    const completed = await bed.taskIn("j", "t", "completed");

    expect([added.state, running.state, completed.state]).toEqual(["active", "running", "completed"]);
    expect(new Set([added.eTag, running.eTag, completed.eTag]).size).toBe(3);
    expect(running.lastModified).toBe(running.stateTransitionTime);
    expect(completed.lastModified).toBe(completed.stateTransitionTime);
    expect(Date.parse(completed.lastModified)).toBeGreaterThan(Date.parse(running.lastModified));
  });

  it("answers a conditional get with an old ETag with the task, and with the current one with NotModified", async () => {
    const added = await bed.batch.task.add("j", { id: "t", commandLine: "true" });
    const completed = await bed.taskIn("j", "t", "completed");
    const again = await bed.batch.task.get("j", "t", { conditions: { ifNoneMatch: added.eTag } });
    expect(again).toMatchObject({ id: "t", state: "completed", eTag: completed.eTag });
    const unchanged = await bed.batch.task.get("j", "t", { conditions: { ifNoneMatch: completed.eTag } }).catch((e: unknown) => e);
    expect(unchanged).toBeInstanceOf(NotModified);
  });

  it("through @azure/batch: If-None-Match with the ETag from before the task ran returns it (200), completed", async () => {
    const client = await bed.client();
    const added = await client.task.add("j", { id: "sdk", commandLine: "work" });
    expect(added.eTag).toBeTruthy();
    const run = await work.started("sdk");
    const running = await client.task.get("j", "sdk");
    expect(running.state).toBe("running");
    run.finish(0);
    await bed.taskIn("j", "sdk", "completed");
    for (const old of [added.eTag, running.eTag]) {
      const after = await client.task.get("j", "sdk", { taskGetOptions: { ifNoneMatch: old } });
      expect(after._response.status).toBe(200);
      expect(after.state).toBe("completed");
      expect(after.eTag).not.toBe(old);
    }
  });

  it("gives a job a new ETag when it is terminated and when it completes", async () => {
    const added = await bed.batch.job.get("j");
    await bed.batch.task.add("j", { id: "t", commandLine: "work" });
    await work.started("t");
    await bed.batch.job.terminate("j");
    const terminating = await bed.batch.job.get("j");
    const completed = await bed.jobIn("j", "completed");
    expect(terminating.state).toBe("terminating");
    expect(new Set([added.eTag, terminating.eTag, completed.eTag]).size).toBe(3);
  });

  it("gives a pool a new ETag when it resizes and when it is deleted", async () => {
    const before = await bed.batch.pool.get("p");
    await bed.batch.pool.resize("p", { targetDedicatedNodes: 2 });
    const resizing = await bed.batch.pool.get("p");
    await bed.batch.pool.delete("p");
    const deleting = await bed.batch.pool.get("p");
    expect([resizing.allocationState, deleting.state]).toEqual(["resizing", "deleting"]);
    expect(new Set([before.eTag, resizing.eTag, deleting.eTag]).size).toBe(3);
  });
});
