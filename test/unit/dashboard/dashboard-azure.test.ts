/**
 * The dashboard over the Azure backend (what `malachite dashboard --backend azure` runs): its
 * BatchService is @azure/batch talking to a Batch endpoint (here the in-process Malachite, with
 * the fake node runtime), has no change notifications, and is polled; the page gets diffs.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AzureBackend } from "../../../src/backends/azure/azure-backend.js";
import { DashboardServer } from "../../../src/dashboard/dashboard-server.js";
import type { JobView, OverviewView, TaskRow, ViewDiff } from "../../../src/dashboard/view-models.js";
import type { HeldProgram } from "../../support/held-program.js";
import { TestBed } from "../../support/test-bed.js";
import { builtDashboard } from "./dashboard-bundle.js";
import { EventStreamClient } from "./event-stream-client.js";

let bed: TestBed;
let azure: AzureBackend;
let dashboard: DashboardServer;
let work: HeldProgram;
const streams: EventStreamClient[] = [];

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  work = bed.runtime.hold("work");
  const { batchUrl, batchAccountName, batchAccountKey } = bed.account;
  azure = await AzureBackend.create({
    batchAccountName,
    batchAccountKey,
    batchEndpoint: batchUrl,
    storageConnectionString: bed.backend.blob.connectionString,
    taskImage: "registry.malachite.test/malachite-node:1",
  });
  dashboard = await DashboardServer.listen(azure.batch, { host: "127.0.0.1", port: 0, assetsDir: await builtDashboard(), pollMs: 50 });
});

afterEach(async () => {
  streams.splice(0).forEach((stream) => stream.close());
  await dashboard.close();
  await azure.close();
  await bed.close();
});

describe("the dashboard over the Azure backend", () => {
  it("reads the account through @azure/batch", async () => {
    await bed.addPool("p");
    await bed.addJob("j", "p");
    const overview = (await (await fetch(`${dashboard.url}/dashboard/api/views/overview`)).json()) as OverviewView;
    expect(overview.pools.p).toMatchObject({ id: "p", state: "active", nodeStates: { idle: 1 } });
    expect(overview.jobs.j).toMatchObject({ id: "j", poolId: "p", taskCounts: { active: 0, running: 0 } });
    expect(((await (await fetch(`${dashboard.url}/dashboard/api/views/jobs/nope`)).json()) as { code: string }).code).toBe("JobNotFound");
  });

  it("polls the service and sends a job's tasks as they change", async () => {
    await bed.addPool("p");
    await bed.addJob("j", "p");
    const stream = await EventStreamClient.open(`${dashboard.url}/dashboard/api/events/jobs/j`);
    streams.push(stream);
    expect(((await stream.next((event) => event.event === "snapshot")).data as JobView).tasks).toEqual({});
    await bed.batch.task.add("j", { id: "t1", commandLine: "work" });
    (await work.started("t1")).finish(4);
    const done = await stream.next((event) => event.event === "diff" && ((event.data as ViewDiff).set.tasks?.t1 as TaskRow | undefined)?.state === "completed");
    expect((done.data as ViewDiff).set.tasks?.t1).toMatchObject({ exitCode: 4, result: "failure", failureCode: "FailureExitCode" });
  });
});
