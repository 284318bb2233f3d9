import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/core/backend.js";
import type { ContractTarget } from "./backend-contract.js";
import { uniqueId, waitUntil as realTimeWaitUntil } from "./wait-until.js";
import { rejection } from "./batch-rejection.js";

/**
 * What every backend owes its users of job schedules, through the backend interface only and in
 * what real time allows (no recurrence is waited for: that is tested on the fake clock). The
 * schedules' jobs name a pool that need not exist: the service creates jobs for any pool id.
 */
export function describeJobScheduleContract(target: ContractTarget): void {
  describe(`job schedule contract: ${target.name}`, () => {
    let backend: Backend;
    const waitUntil = target.waitUntil ?? realTimeWaitUntil;
    const jobSpecification = { poolInfo: { poolId: uniqueId("pool") } };
    const farFuture = "2099-01-01T00:00:00.000Z";
    const created: string[] = [];

    async function addSchedule(schedule: { doNotRunUntil?: string; recurrenceInterval?: string } = {}): Promise<string> {
      const id = uniqueId("schedule");
      await backend.batch.jobSchedule.add({ id, schedule, jobSpecification, metadata: [{ name: "m", value: "1" }] });
      created.push(id);
      return id;
    }

    const jobsOf = (id: string) =>
      waitUntil(
        () => backend.batch.jobSchedule.listJobs(id),
        (jobs) => jobs.length > 0,
        { what: `a job of schedule ${id}` },
      );

    /** Starting a backend (a blob service, a client) and deleting what the suite made may take long on a loaded machine. */
    const HOOK_TIMEOUT_MS = 120_000;

    beforeAll(async () => {
      backend = await target.start();
    }, HOOK_TIMEOUT_MS);

    afterAll(async () => {
      for (const id of created) await backend?.batch.jobSchedule.delete(id).catch(() => undefined);
      await backend?.close();
    }, HOOK_TIMEOUT_MS);

    it("creates a schedule's job as {id}:job-1 from its specification, and reports it as the recent job", async () => {
      const id = await addSchedule();
      const [job] = await jobsOf(id);
      expect(job?.id).toBe(`${id}:job-1`);
      expect(job?.poolInfo).toEqual(jobSpecification.poolInfo);
      const schedule = await backend.batch.jobSchedule.get(id);
      expect(schedule).toMatchObject({ id, state: "active", metadata: [{ name: "m", value: "1" }], executionInfo: { recentJob: { id: `${id}:job-1` } } });
      expect(await backend.batch.jobSchedule.exists(id.toUpperCase())).toBe(true);
      expect((await backend.batch.jobSchedule.list()).map((s) => s.id)).toContain(id);
    });

    it("waits for doNotRunUntil, reporting it as the next run time", async () => {
      const id = await addSchedule({ doNotRunUntil: farFuture, recurrenceInterval: "PT1H" });
      const schedule = await backend.batch.jobSchedule.get(id);
      expect(schedule.executionInfo.nextRunTime).toBe(farFuture);
      expect(schedule.executionInfo.recentJob).toBeUndefined();
      expect(await backend.batch.jobSchedule.listJobs(id)).toEqual([]);
    });

    it("patches what it is given, replaces everything on update, disables and enables", async () => {
      const id = await addSchedule({ doNotRunUntil: farFuture });
      const patched = await backend.batch.jobSchedule.patch(id, { jobSpecification: { ...jobSpecification, priority: 3 } });
      expect(patched.metadata).toEqual([{ name: "m", value: "1" }]);
      expect(patched.jobSpecification.priority).toBe(3);
      expect(patched.schedule.doNotRunUntil).toBe(farFuture);
      const replaced = await backend.batch.jobSchedule.update(id, { schedule: { doNotRunUntil: farFuture }, jobSpecification });
      expect(replaced.metadata ?? []).toEqual([]);
      expect(replaced.jobSpecification.priority ?? 0).toBe(0);
      await backend.batch.jobSchedule.disable(id);
      expect((await backend.batch.jobSchedule.get(id)).state).toBe("disabled");
      await backend.batch.jobSchedule.enable(id);
      expect((await backend.batch.jobSchedule.get(id)).state).toBe("active");
    });

    it("terminates the active job with TerminateJobSchedule and completes", async () => {
      const id = await addSchedule({ recurrenceInterval: "PT1H" });
      const [job] = await jobsOf(id);
      await backend.batch.jobSchedule.terminate(id);
      const completed = await waitUntil(
        () => backend.batch.jobSchedule.get(id),
        (schedule) => schedule.state === "completed",
        { what: "the schedule to complete" },
      );
      expect(completed.executionInfo.endTime).toBeDefined();
      const ended = await backend.batch.job.get(job?.id as string);
      expect([ended.state, ended.executionInfo.terminateReason]).toEqual(["completed", "TerminateJobSchedule"]);
      expect((await rejection(backend.batch.jobSchedule.terminate(id))).code).toBe("JobScheduleCompleted");
    });

    it("deletes a schedule with its jobs", async () => {
      const id = await addSchedule();
      const [job] = await jobsOf(id);
      await backend.batch.jobSchedule.delete(id);
      await waitUntil(
        () => backend.batch.jobSchedule.exists(id),
        (exists) => !exists,
        { what: "the schedule to be gone", timeoutMs: 300_000 },
      );
      expect((await rejection(backend.batch.job.get(job?.id as string))).code).toBe("JobNotFound");
    });

    it("answers with the service's codes: JobScheduleNotFound, JobScheduleExists, 400 for an interval under a minute", async () => {
      expect(await backend.batch.jobSchedule.exists("no-such-schedule")).toBe(false);
      expect((await rejection(backend.batch.jobSchedule.get("no-such-schedule"))).code).toBe("JobScheduleNotFound");
      const id = await addSchedule({ doNotRunUntil: farFuture });
      const duplicate = await rejection(backend.batch.jobSchedule.add({ id, schedule: {}, jobSpecification }));
      expect([duplicate.statusCode, duplicate.code]).toEqual([409, "JobScheduleExists"]);
      const tooOften = await rejection(
        backend.batch.jobSchedule.add({ id: uniqueId("schedule"), schedule: { recurrenceInterval: "PT30S" }, jobSpecification }),
      );
      expect(tooOften.statusCode).toBe(400);
    });
  });
}
