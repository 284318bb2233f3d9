/**
 * Multi-instance tasks (articles/batch/batch-mpi.md) through @azure/batch against the in-process
 * endpoint: a primary and subtasks on distinct nodes, the coordination command on each, the
 * application command on the primary, subtasksinfo, waiting, bad settings, retries, node loss.
 */
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NODE_RECOVERY_DELAY_MS } from "../../../src/backends/local/services/node-health.js";
import type { HeldProgram } from "../../support/held-program.js";
import { HttpFileServer } from "../../support/http-file-server.js";
import { TestBed } from "../../support/test-bed.js";
import { restErrorOf } from "../../support/rejection-of.js";

let bed: TestBed;
let client: BatchServiceClient;
let coord: HeldProgram;
let app: HeldProgram;
let files: HttpFileServer;

const TASK_DIR = "workitems/job/job-1/mpi";

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  coord = bed.runtime.hold("coord");
  app = bed.runtime.hold("app");
  files = await HttpFileServer.start({ "/common.txt": "common\n", "/input.txt": "input\n" });
});

afterEach(async () => {
  await bed.close();
  await files.close();
});

async function pool(nodes: number, extra: Partial<BatchServiceModels.PoolAddParameter> = {}): Promise<void> {
  await client.pool.add({ id: "pool", vmSize: "standard_d2s_v3", targetDedicatedNodes: nodes, enableInterNodeCommunication: true, ...extra });
  await bed.waitFor(async () => {
    const list = await bed.batch.computeNode.list("pool");
    return list.length === nodes && list.every((node) => node.state === "idle");
  }, `${nodes} idle nodes`);
  await client.job.add({ id: "job", poolInfo: { poolId: "pool" } });
}

function mpiTask(instances: number, extra: Partial<BatchServiceModels.TaskAddParameter> = {}): BatchServiceModels.TaskAddParameter {
  return {
    id: "mpi",
    commandLine: "app",
    resourceFiles: [{ httpUrl: `${files.url}/input.txt`, filePath: "input.txt" }],
    multiInstanceSettings: {
      numberOfInstances: instances,
      coordinationCommandLine: "coord",
      commonResourceFiles: [{ httpUrl: `${files.url}/common.txt`, filePath: "common.txt" }],
    },
    ...extra,
  };
}

async function nodeFile(nodeId: string, filePath: string): Promise<string | undefined> {
  return bed.batch.file.getFromComputeNode("pool", nodeId, filePath).then(
    (content) => content.toString(),
    () => undefined,
  );
}

describe("a multi-instance task", () => {
  it("runs the coordination command on distinct nodes, then the application command on the primary only", async () => {
    await pool(3);
    await client.task.add("job", mpiTask(3));
    await bed.waitFor(() => coord.running.length === 3, "three coordination commands");
    const task = await client.task.get("job", "mpi");
    expect(task.state).toBe("running");
    const primaryNode = task.nodeInfo?.nodeId as string;
    const containers = new Set(bed.runtime.processesOf("mpi").map((p) => p.containerId));
    expect(containers.size).toBe(3);

    // The environment of every instance: the same host list and shared directory, one master.
    const envs = coord.running.map((run) => run.env);
    for (const env of envs) {
      expect(env).toMatchObject({
        AZ_BATCH_HOST_LIST: "127.0.0.1,127.0.0.1,127.0.0.1",
        AZ_BATCH_NODE_LIST: "127.0.0.1;127.0.0.1;127.0.0.1",
        AZ_BATCH_MASTER_NODE: "127.0.0.1:6000",
        AZ_BATCH_TASK_SHARED_DIR: `/mnt/batch/tasks/${TASK_DIR}`,
        AZ_BATCH_TASK_DIR: `/mnt/batch/tasks/${TASK_DIR}`,
        AZ_BATCH_TASK_ID: "mpi",
      });
      expect(env.CCP_NODES).toMatch(/^3 127\.0\.0\.1 \d+ 127\.0\.0\.1 \d+ 127\.0\.0\.1 \d+$/);
    }
    const masters = envs.filter((env) => env.AZ_BATCH_IS_CURRENT_NODE_MASTER === "true");
    expect(masters.map((env) => env.AZ_BATCH_NODE_ID)).toEqual([primaryNode]);
    expect(envs.filter((env) => env.AZ_BATCH_IS_CURRENT_NODE_MASTER === "false")).toHaveLength(2);

    // Subtasks are listed (not the primary), running, on the other two nodes.
    const running = (await client.task.listSubtasks("job", "mpi")).value ?? [];
    expect(running.map((s) => s.id)).toEqual([1, 2]);
    expect(running.every((s) => s.state === "running" && s.previousState === undefined && s.exitCode === undefined)).toBe(true);
    const subtaskNodes = running.map((s) => s.nodeInfo?.nodeId as string);
    expect(new Set([primaryNode, ...subtaskNodes]).size).toBe(3);
    expect(running[0]?.nodeInfo).toMatchObject({ poolId: "pool", taskRootDirectory: TASK_DIR });

    // Common resource files on every node, in the task directory; the task's own only on the primary.
    for (const node of [primaryNode, ...subtaskNodes]) expect(await nodeFile(node, `${TASK_DIR}/common.txt`)).toBe("common\n");
    expect(await nodeFile(primaryNode, `${TASK_DIR}/wd/input.txt`)).toBe("input\n");
    for (const node of subtaskNodes) expect(await nodeFile(node, `${TASK_DIR}/wd/input.txt`)).toBeUndefined();

    // The application command waits for every coordination command.
    coord.running[0]?.finish(0);
    coord.running[0]?.finish(0);
    await bed.waitFor(() => coord.running.length === 1, "one coordination command left");
    expect(app.runs).toHaveLength(0);
    coord.finishAll(0);
    const application = await app.started("mpi");
    expect(application.env.AZ_BATCH_NODE_ID).toBe(primaryNode);
    expect(application.env.AZ_BATCH_IS_CURRENT_NODE_MASTER).toBe("true");
    expect((await client.task.listSubtasks("job", "mpi")).value?.every((s) => s.state === "running")).toBe(true);

    // The primary's exit code is the task's; its end ends the subtasks.
    application.finish(3);
    const done = await bed.taskIn("job", "mpi", "completed");
    expect(done.executionInfo).toMatchObject({ exitCode: 3, result: "failure", failureInfo: { code: "FailureExitCode" } });
    const ended = (await client.task.listSubtasks("job", "mpi")).value ?? [];
    for (const subtask of ended) {
      expect(subtask).toMatchObject({ state: "completed", previousState: "running", exitCode: 0, result: "success" });
      expect(subtask.endTime).toBeInstanceOf(Date);
    }
    expect(app.runs).toHaveLength(1);
    const subtaskNode = await client.computeNode.get("pool", subtaskNodes[0] as string);
    expect(subtaskNode.recentTasks?.[0]).toMatchObject({ jobId: "job", taskId: "mpi", subtaskId: 1, taskState: "completed" });
    const nodes = await bed.batch.computeNode.list("pool");
    expect(nodes.every((node) => node.state === "idle" && node.runningTasksCount === 0)).toBe(true);
  });

  it("ends, with the primary, the processes its subtasks' coordination commands left running", async () => {
    const ends: { containerId: string; user: string; group: string | undefined }[] = [];
    await pool(2);
    await client.task.add("job", mpiTask(2));
    await bed.waitFor(() => coord.running.length === 2, "two coordination commands");
    bed.runtime.programs.set("/bin/sh", (run) => {
      const container = bed.runtime.processes.find((p) => p.argv === run.argv)?.containerId as string;
      ends.push({ containerId: container, user: run.user, group: run.argv[4] });
      return {};
    });
    coord.finishAll(0);
    const application = await app.started("mpi");
    const subtaskContainer = bed.runtime.processesOf("mpi").find((p) => p.env.AZ_BATCH_IS_CURRENT_NODE_MASTER === "false")?.containerId;
    expect(ends).toEqual([]);
    application.finish(0);
    await bed.taskIn("job", "mpi", "completed");
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ containerId: subtaskContainer, user: "root" });
    expect(ends[0]?.group).toMatch(/^\/mnt\/batch\/tasks\/volatile\/pids\/subtask-[0-9a-f-]+\.pid$/);
  });

  it("fails as a whole when a subtask's coordination command fails, and the application never runs", async () => {
    await pool(2);
    await client.task.add("job", mpiTask(2));
    await bed.waitFor(() => coord.running.length === 2, "two coordination commands");
    const subtaskRun = coord.running.find((run) => run.env.AZ_BATCH_IS_CURRENT_NODE_MASTER === "false");
    subtaskRun?.finish(5);
    const done = await bed.taskIn("job", "mpi", "completed");
    expect(done.executionInfo).toMatchObject({ result: "failure", failureInfo: { code: "FailureExitCode" } });
    expect(done.executionInfo.failureInfo?.details).toContainEqual({ name: "SubtaskId", value: "1" });
    expect(coord.running).toHaveLength(0);
    expect(app.runs).toHaveLength(0);
    const [subtask] = (await client.task.listSubtasks("job", "mpi")).value ?? [];
    expect(subtask).toMatchObject({ id: 1, state: "completed", exitCode: 5, result: "failure", failureInfo: { code: "FailureExitCode" } });
  });

  it("is retried on its nodes, coordination included, up to maxTaskRetryCount", async () => {
    await pool(2);
    await client.task.add("job", mpiTask(2, { constraints: { maxTaskRetryCount: 1 } }));
    await bed.waitFor(() => coord.running.length === 2, "the first coordination");
    coord.finishAll(0);
    (await app.started("mpi")).finish(1);
    await bed.waitFor(() => coord.running.length === 2, "the second coordination");
    expect((await client.task.get("job", "mpi")).executionInfo?.retryCount).toBe(1);
    coord.finishAll(0);
    (await app.started("mpi")).finish(0);
    const done = await bed.taskIn("job", "mpi", "completed");
    expect(done.executionInfo).toMatchObject({ exitCode: 0, result: "success", retryCount: 1 });
    expect(coord.runs).toHaveLength(4);
  });

  it("without a coordination command, runs the application command once the common files are there", async () => {
    await pool(2);
    // The 2022 SDK insists on a coordination command; the current REST specification does not.
    await bed.batch.task.add("job", { id: "mpi", commandLine: "app", multiInstanceSettings: { numberOfInstances: 2 } });
    (await app.started("mpi")).finish(0);
    expect((await bed.taskIn("job", "mpi", "completed")).executionInfo).toMatchObject({ result: "success" });
    expect((await client.task.listSubtasks("job", "mpi")).value).toMatchObject([{ id: 1, state: "completed", result: "success" }]);
  });

  it("ends its subtasks when it is terminated", async () => {
    await pool(2);
    await client.task.add("job", mpiTask(2));
    await bed.waitFor(() => coord.running.length === 2, "two coordination commands");
    await client.task.terminate("job", "mpi");
    const done = await bed.taskIn("job", "mpi", "completed");
    expect(done.executionInfo?.failureInfo).toMatchObject({ code: "TaskEnded" });
    expect(coord.running).toHaveLength(0);
    expect((await client.task.listSubtasks("job", "mpi")).value).toMatchObject([{ state: "completed", result: "failure", failureInfo: { code: "TaskEnded" } }]);
  });
});

describe("a deleted multi-instance task", () => {
  it("stops on every node and leaves no directory behind on its subtasks' nodes", async () => {
    await pool(2);
    await client.task.add("job", mpiTask(2));
    await bed.waitFor(() => coord.running.length === 2, "two coordination commands");
    const [subtask] = (await client.task.listSubtasks("job", "mpi")).value ?? [];
    const subtaskNode = subtask?.nodeInfo?.nodeId as string;
    expect(await nodeFile(subtaskNode, `${TASK_DIR}/common.txt`)).toBe("common\n");
    await client.task.deleteMethod("job", "mpi");
    await bed.waitFor(() => coord.running.length === 0, "the coordination commands to stop");
    await bed.waitFor(async () => (await nodeFile(subtaskNode, `${TASK_DIR}/common.txt`)) === undefined, "the subtask's directory to go");
    await bed.waitFor(async () => (await bed.batch.computeNode.list("pool")).every((node) => node.state === "idle"), "both nodes idle again");
  });
});

describe("where a multi-instance task can run", () => {
  it("waits active while the pool has too few nodes, and starts once it has enough", async () => {
    await pool(2);
    await client.task.add("job", mpiTask(3));
    await client.task.add("job", { id: "small", commandLine: "true" });
    await bed.taskIn("job", "small", "completed");
    expect((await client.task.get("job", "mpi")).state).toBe("active");
    expect((await client.task.listSubtasks("job", "mpi")).value).toEqual([]);
    await client.pool.resize("pool", { targetDedicatedNodes: 3 });
    await bed.waitFor(() => coord.running.length === 3, "three coordination commands");
  });

  it("stays active in a pool without inter-node communication or with more than one slot per node", async () => {
    for (const [id, extra] of [
      ["nocomm", { enableInterNodeCommunication: false }],
      ["slots", { enableInterNodeCommunication: true, taskSlotsPerNode: 2 }],
    ] as const) {
      await client.pool.add({ id, vmSize: "standard_d2s_v3", targetDedicatedNodes: 2, ...extra });
      await client.job.add({ id, poolInfo: { poolId: id } });
      await client.task.add(id, mpiTask(2));
      await client.task.add(id, { id: "small", commandLine: "true" });
      await bed.taskIn(id, "small", "completed");
      expect((await client.task.get(id, "mpi")).state).toBe("active");
    }
    expect(coord.runs).toHaveLength(0);
  });

  it("is requeued as a whole when one of its nodes is lost, and runs again on healthy nodes", async () => {
    await pool(3);
    await client.task.add("job", mpiTask(2));
    await bed.waitFor(() => coord.running.length === 2, "two coordination commands");
    coord.finishAll(0);
    await app.started("mpi");
    const [subtask] = (await client.task.listSubtasks("job", "mpi")).value ?? [];
    const lostNode = subtask?.nodeInfo?.nodeId as string;
    const container = bed.runtime.processesOf("mpi").find((p) => p.env.AZ_BATCH_NODE_ID === lostNode)?.containerId as string;
    bed.runtime.crashNode(container);

    await bed.waitFor(() => coord.running.length === 2, "the coordination of the requeued task");
    const again = await client.task.get("job", "mpi");
    expect(again.executionInfo).toMatchObject({ requeueCount: 1 });
    const nodes = [again.nodeInfo?.nodeId, ...((await client.task.listSubtasks("job", "mpi")).value ?? []).map((s) => s.nodeInfo?.nodeId)];
    expect(nodes).not.toContain(lostNode);
    expect(app.runs[0]?.killed).toBe(true);
    coord.finishAll(0);
    (await app.started("mpi")).finish(0);
    expect((await bed.taskIn("job", "mpi", "completed")).executionInfo).toMatchObject({ result: "success", requeueCount: 1 });
    await bed.clock.advance(NODE_RECOVERY_DELAY_MS);
  });
});

describe("multi-instance settings and subtasksinfo", () => {
  it("refuses settings the service refuses", async () => {
    await pool(1);
    const zero = await restErrorOf(client.task.add("job", mpiTask(0)));
    expect(zero).toMatchObject({ statusCode: 400, code: "InvalidPropertyValue" });
    expect(zero.body).toMatchObject({ values: expect.arrayContaining([{ key: "PropertyName", value: "multiInstanceSettings.numberOfInstances" }]) });
    const slots = await restErrorOf(client.task.add("job", mpiTask(2, { requiredSlots: 2 })));
    expect(slots).toMatchObject({ statusCode: 400, code: "InvalidPropertyValue" });
    expect((await client.task.list("job")).map((task) => task.id)).toEqual([]);
  });

  it("lists no subtasks for a normal task, and answers TaskNotFound for a missing one", async () => {
    await pool(1);
    await client.task.add("job", { id: "plain", commandLine: "true" });
    await bed.taskIn("job", "plain", "completed");
    expect((await client.task.listSubtasks("job", "plain")).value).toEqual([]);
    expect(await restErrorOf(client.task.listSubtasks("job", "nope"))).toMatchObject({ statusCode: 404, code: "TaskNotFound" });
  });

  it("reports multiInstanceSettings on the task as given", async () => {
    await pool(2);
    await client.task.add("job", mpiTask(2));
    const task = await client.task.get("job", "mpi");
    expect(task.multiInstanceSettings).toMatchObject({ numberOfInstances: 2, coordinationCommandLine: "coord" });
    expect(task.multiInstanceSettings?.commonResourceFiles).toHaveLength(1);
  });
});
