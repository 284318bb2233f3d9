import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BatchService } from "../../../src/core/backend.js";
import { DashboardServer } from "../../../src/dashboard/dashboard-server.js";
import type { JobView, OverviewView, TaskAttempt, TaskRow, ViewDiff } from "../../../src/dashboard/view-models.js";
import type { HeldProgram } from "../../support/held-program.js";
import { TestBed } from "../../support/test-bed.js";
import { builtDashboard } from "./dashboard-bundle.js";
import { EventStreamClient, type ServerEvent } from "./event-stream-client.js";

let bed: TestBed;
let dashboard: DashboardServer;
let work: HeldProgram;
const streams: EventStreamClient[] = [];
/** Dashboards a test started besides the default one. */
const extraServers: DashboardServer[] = [];

async function listen(service: BatchService, pollMs?: number): Promise<DashboardServer> {
  return DashboardServer.listen(service, { host: "127.0.0.1", port: 0, assetsDir: await builtDashboard(), pollMs });
}

async function events(server: DashboardServer, path: string): Promise<EventStreamClient> {
  const stream = await EventStreamClient.open(`${server.url}/dashboard/api/events/${path}`);
  streams.push(stream);
  return stream;
}

async function getJson(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${dashboard.url}${path}`);
  return { status: response.status, body: await response.json() };
}

/** A diff that sets this task's row with a state satisfying `state`. */
function taskDiff(taskId: string, state: string) {
  return (event: ServerEvent) =>
    event.event === "diff" &&
    (event.data as ViewDiff).set.tasks?.[taskId] !== undefined &&
    ((event.data as ViewDiff).set.tasks?.[taskId] as TaskRow).state === state;
}

beforeEach(async () => {
  bed = await TestBed.start();
  work = bed.runtime.hold("work");
  await bed.addPool("p", { targetDedicatedNodes: 2 });
  await bed.addJob("j", "p");
  dashboard = await listen(bed.batch);
});

afterEach(async () => {
  streams.splice(0).forEach((stream) => stream.close());
  for (const server of extraServers.splice(0)) await server.close();
  await dashboard.close();
  await bed.close();
});

describe("dashboard views as JSON", () => {
  it("reads the account overview: pools with their nodes by state, jobs with their task counts", async () => {
    await bed.batch.task.add("j", { id: "t1", commandLine: "work" });
    await work.started("t1");
    const { status, body } = await getJson("/dashboard/api/views/overview");
    expect(status).toBe(200);
    const view = body as OverviewView;
    expect(view.pools.p).toMatchObject({ id: "p", state: "active", targetDedicatedNodes: 2, nodeStates: { running: 1, idle: 1 } });
    expect(view.jobs.j).toMatchObject({ id: "j", state: "active", poolId: "p", taskCounts: { active: 0, running: 1, completed: 0 } });
  });

  it("reads a pool with its nodes, a job with its task rows, a task", async () => {
    await bed.batch.task.add("j", { id: "t1", commandLine: "work" });
    (await work.started("t1")).finish(3);
    await bed.taskIn("j", "t1", "completed");
    const pool = (await getJson("/dashboard/api/views/pools/p")).body as { nodes: Record<string, unknown> };
    expect(Object.keys(pool.nodes)).toHaveLength(2);
    const job = (await getJson("/dashboard/api/views/jobs/j")).body as JobView;
    const node = (await bed.batch.task.get("j", "t1")).nodeInfo?.nodeId;
    expect(job.tasks.t1).toMatchObject({
      id: "t1",
      state: "completed",
      exitCode: 3,
      result: "failure",
      failureCode: "FailureExitCode",
      nodeId: node,
      retryCount: 0,
    });
    expect(job.attempts.t1).toEqual([expect.objectContaining({ attempt: 0, nodeId: node, exitCode: 3 })]);
    const task = (await getJson("/dashboard/api/views/jobs/j/tasks/t1")).body as { task: Record<string, { commandLine: string }> };
    expect(task.task.t1?.commandLine).toBe("work");
  });

  it("answers a missing entity or an unknown path with the service's error as JSON", async () => {
    expect(await getJson("/dashboard/api/views/jobs/nope")).toEqual({ status: 404, body: expect.objectContaining({ code: "JobNotFound" }) });
    expect(await getJson("/dashboard/api/views/pools/p/extra")).toEqual({ status: 404, body: expect.objectContaining({ code: "NotFound" }) });
    expect((await fetch(`${dashboard.url}/dashboard/api/views/overview`, { method: "POST" })).status).toBe(405);
  });

  it("lists a task's files and shows one, and a node's files", async () => {
    bed.runtime.programs.set("hello", () => ({ stdout: "hello from t1\n" }));
    await bed.batch.task.add("j", { id: "t1", commandLine: "hello" });
    const task = await bed.taskIn("j", "t1", "completed");
    const files = (await getJson("/dashboard/api/files/jobs/j/tasks/t1")).body as { name: string }[];
    expect(files.map((file) => file.name)).toEqual(expect.arrayContaining(["stdout.txt", "stderr.txt"]));
    expect((await getJson("/dashboard/api/file/jobs/j/tasks/t1?path=stdout.txt")).body).toEqual({ text: "hello from t1\n", truncated: false, length: 14 });
    const nodeFiles = (await getJson(`/dashboard/api/files/pools/p/nodes/${task.nodeInfo?.nodeId}`)).body as { name: string }[];
    expect(nodeFiles.some((file) => file.name.startsWith("workitems"))).toBe(true);
    expect((await getJson("/dashboard/api/file/jobs/j/tasks/t1?path=nothing.txt")).status).toBe(404);
  });

  it("never sends a SAS or a registry password to the page", async () => {
    const sas = "sv=2023-01-03&sr=b&sp=r&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D";
    await bed.batch.task.add("j", {
      id: "t1",
      commandLine: "work",
      resourceFiles: [{ httpUrl: `http://127.0.0.1:9/acct/input/a.txt?${sas}`, filePath: "a.txt" }],
      outputFiles: [
        {
          filePattern: "*.txt",
          destination: { container: { containerUrl: `http://127.0.0.1:9/acct/out?${sas}` } },
          uploadOptions: { uploadCondition: "taskcompletion" },
        },
      ],
    });
    for (const path of ["/dashboard/api/views/jobs/j/tasks/t1", "/dashboard/api/views/jobs/j"]) {
      const text = await (await fetch(`${dashboard.url}${path}`)).text();
      expect(text).not.toContain("sig=");
      expect(text).not.toContain("c2VjcmV0LXNpZ25hdHVyZQ");
    }
    const task = (await getJson("/dashboard/api/views/jobs/j/tasks/t1")).body as { task: { t1: { resourceFiles: { httpUrl: string }[] } } };
    expect(task.task.t1.resourceFiles[0]?.httpUrl).toBe("http://127.0.0.1:9/acct/input/a.txt?(hidden)");
  });
});

describe("dashboard live views (server-sent events)", () => {
  it("sends the job's view, then its tasks as they are added and change state, from the local state's own notifications", async () => {
    const stream = await events(dashboard, "jobs/j");
    const snapshot = (await stream.next((event) => event.event === "snapshot")).data as JobView;
    expect(snapshot.tasks).toEqual({});
    await bed.batch.task.add("j", { id: "t1", commandLine: "work" });
    await stream.next(taskDiff("t1", "running"));
    (await work.started("t1")).finish(0);
    const done = await stream.next(taskDiff("t1", "completed"));
    const node = (await bed.batch.task.get("j", "t1")).nodeInfo?.nodeId;
    expect((done.data as ViewDiff).set.attempts?.t1).toEqual([expect.objectContaining({ attempt: 0, nodeId: node, exitCode: 0 })]);
  });

  it("shows one attempt per run of a retried task, each on the node it ran on", async () => {
    const stream = await events(dashboard, "jobs/j");
    await stream.next((event) => event.event === "snapshot");
    await bed.batch.task.add("j", { id: "t1", commandLine: "work", constraints: { maxTaskRetryCount: 1 } });
    const first = await work.started("t1");
    const firstNode = first.env.AZ_BATCH_NODE_ID;
    await stream.next(taskDiff("t1", "running"));
    await bed.clock.advance(5_000);
    first.finish(1);
    await bed.waitFor(() => work.running.length === 1 && work.running[0] !== first, "the retry to run");
    const second = work.running[0]!;
    await bed.clock.advance(5_000);
    second.finish(0);
    const done = await stream.next(taskDiff("t1", "completed"));
    const attempts = (done.data as ViewDiff).set.attempts?.t1 as TaskAttempt[];
    // The service reports no exit code of a retried run; that it was retried says it failed.
    expect(attempts.map((run) => [run.attempt, run.nodeId, run.result])).toEqual([
      [0, firstNode, "failure"],
      [1, second.env.AZ_BATCH_NODE_ID, "success"],
    ]);
    expect(attempts.every((run) => run.end !== undefined)).toBe(true);
  });

  it("tails a running task's stdout as the task writes it", async () => {
    bed.runtime.programs.set("talk", () => ({ stdout: "hello from the task\n", waitFor: new Promise(() => undefined) }));
    await bed.batch.task.add("j", { id: "t1", commandLine: "talk" });
    await bed.taskIn("j", "t1", "running");
    const stream = await events(dashboard, "jobs/j/tasks/t1");
    const output = await stream.next((event) => event.event === "output");
    expect(output.data).toEqual({ file: "stdout.txt", text: "hello from the task\n" });
  });

  it("ends a view whose entity is deleted", async () => {
    await bed.addJob("gone", "p");
    const stream = await events(dashboard, "jobs/gone");
    await stream.next((event) => event.event === "snapshot");
    await bed.batch.job.delete("gone");
    const ended = await stream.next((event) => event.event === "ended");
    expect(ended.data).toMatchObject({ code: "JobNotFound" });
    await bed.waitFor(() => stream.closed, "the stream to end");
  });

  it("polls a service without change notifications and sends only what changed", async () => {
    const { pool, computeNode, job, jobSchedule, task, file, application } = bed.batch;
    const polled = await listen({ pool, computeNode, job, jobSchedule, task, file, application }, 50);
    try {
      const stream = await events(polled, "overview");
      await stream.next((event) => event.event === "snapshot");
      await bed.addJob("k", "p");
      const diff = await stream.next((event) => event.event === "diff");
      expect(Object.keys((diff.data as ViewDiff).set.jobs ?? {})).toEqual(["k"]);
      expect((diff.data as ViewDiff).set.pools).toBeUndefined();
    } finally {
      await polled.close();
    }
  });
});

describe("dashboard actions", () => {
  const post = (server: DashboardServer, path: string, body: unknown, type = "application/json") =>
    fetch(`${server.url}/dashboard/api/actions/${path}`, { method: "POST", headers: { "Content-Type": type }, body: JSON.stringify(body) });

  async function withActions(): Promise<DashboardServer> {
    const server = await DashboardServer.listen(bed.batch, { host: "127.0.0.1", port: 0, assetsDir: await builtDashboard(), actions: true });
    extraServers.push(server);
    return server;
  }

  it("are refused while the dashboard is read-only, as it is by default", async () => {
    const refused = await post(dashboard, "jobs/j/terminate", {});
    expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([403, "ActionsDisabled"]);
    expect((await bed.batch.job.get("j")).state).toBe("active");
    expect(await (await fetch(`${dashboard.url}/`)).text()).toContain('<meta name="malachite-actions" content="off">');
  });

  it("terminate a task and a job and resize a pool through the service's own calls", async () => {
    const server = await withActions();
    expect(await (await fetch(`${server.url}/`)).text()).toContain('<meta name="malachite-actions" content="on">');
    await bed.batch.task.add("j", { id: "t1", commandLine: "work" });
    await work.started("t1");
    expect((await post(server, "jobs/j/tasks/t1/terminate", {})).status).toBe(202);
    expect((await bed.taskIn("j", "t1", "completed")).executionInfo.failureInfo?.code).toBe("TaskEnded");
    expect((await post(server, "pools/p/resize", { targetDedicatedNodes: 3 })).status).toBe(202);
    expect((await bed.batch.pool.get("p")).targetDedicatedNodes).toBe(3);
    expect((await post(server, "jobs/j/terminate", { terminateReason: "from the dashboard" })).status).toBe(202);
    expect((await bed.jobIn("j", "completed")).executionInfo.terminateReason).toBe("from the dashboard");
  });

  it("answer bad input and the service's errors as the service does", async () => {
    const server = await withActions();
    const answer = async (response: Response) => [response.status, ((await response.json()) as { code: string }).code];
    expect(await answer(await post(server, "pools/p/resize", { targetDedicatedNodes: -1 }))).toEqual([400, "InvalidRequestBody"]);
    expect(await answer(await post(server, "pools/p/resize", {}))).toEqual([400, "InvalidRequestBody"]);
    expect(await answer(await post(server, "jobs/j/terminate", {}, "text/plain"))).toEqual([415, "UnsupportedMediaType"]);
    expect(await answer(await post(server, "jobs/nope/terminate", {}))).toEqual([404, "JobNotFound"]);
    expect(await answer(await post(server, "jobs/j/delete", {}))).toEqual([404, "NotFound"]);
  });
});
