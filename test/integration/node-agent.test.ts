/**
 * The resident node agent under the whole local backend, on real node containers: tasks run
 * through it (no docker exec per task) with their exit codes, signals and missing programs as a
 * shell reports them; terminate and the wall clock end whole process groups; and the agent's
 * death is its node's: unusable, its running task requeued onto the other node.
 */
import Dockerode from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CloudTask } from "../../src/core/models/index.js";
import { DockerNodeRuntime } from "../../src/backends/local/docker/docker-node-runtime.js";
import { LABEL } from "../../src/backends/local/docker/labels.js";
import type { LocalBackend } from "../../src/backends/local/local-backend.js";
import { uniqueId, waitUntil } from "../contract/wait-until.js";
import { startLocalBackend } from "./local-test-backend.js";

describe("the node agent", () => {
  let backend: LocalBackend;
  const runtime = new DockerNodeRuntime();
  const docker = new Dockerode();
  const poolId = uniqueId("pool");

  beforeAll(async () => {
    backend = await startLocalBackend();
    await backend.batch.pool.add({ id: poolId, vmSize: "standard_a1", targetDedicatedNodes: 2, taskSlotsPerNode: 4 });
    await waitUntil(
      () => backend.batch.computeNode.list(poolId),
      (nodes) => nodes.length === 2 && nodes.every((n) => n.state === "idle"),
      { timeoutMs: 90_000, intervalMs: 100, what: "two idle nodes" },
    );
  });

  afterAll(async () => {
    await backend?.close();
    expect(await runtime.listManaged({ [LABEL.session]: backend.sessionId })).toEqual([]);
  });

  async function newJob(): Promise<string> {
    const jobId = uniqueId("job");
    await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
    return jobId;
  }

  const completed = (jobId: string, taskId: string, timeoutMs = 60_000) =>
    waitUntil(
      () => backend.batch.task.get(jobId, taskId),
      (task) => task.state === "completed",
      { timeoutMs, intervalMs: 50, what: `task ${taskId} to complete` },
    );

  const running = (jobId: string, taskId: string) =>
    waitUntil(
      () => backend.batch.task.get(jobId, taskId),
      (task) => task.state === "running",
      { timeoutMs: 60_000, intervalMs: 50, what: `task ${taskId} to run` },
    );

  async function containerOf(task: CloudTask): Promise<string> {
    const [container] = await runtime.listManaged({ [LABEL.session]: backend.sessionId, [LABEL.pool]: poolId, [LABEL.node]: task.nodeInfo?.nodeId });
    return container!.id;
  }

  /** Runs a shell command in a node container with docker exec (the test's own view, not the agent's). */
  async function inContainer(containerId: string, script: string): Promise<string> {
    // With a TTY the output is plain text, without Docker's stream frames.
    const exec = await docker.getContainer(containerId).exec({ Cmd: ["/bin/sh", "-c", script], AttachStdout: true, AttachStderr: true, Tty: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", resolve);
      stream.on("error", reject);
    });
    return Buffer.concat(chunks).toString("utf8").replace(/\r\n/g, "\n");
  }

  /** Command lines of the processes in a node container. */
  const processes = (containerId: string) => inContainer(containerId, 'for f in /proc/[0-9]*/cmdline; do tr "\\0" " " < "$f"; echo; done 2>/dev/null');

  it("is each node container's main process, under docker-init", async () => {
    const jobId = await newJob();
    await backend.batch.task.add(jobId, { id: "ps", commandLine: "/bin/sh -c 'cat /proc/1/task/1/children; echo; echo $PPID'" });
    const task = await completed(jobId, "ps");
    const [children, parent] = (await backend.batch.file.getFromTask(jobId, "ps", "stdout.txt")).toString().trim().split("\n");
    expect(children?.trim()).toBe(parent); // the task's parent is init's only child: the agent
    const list = await processes(await containerOf(task));
    expect(list).toMatch(/node \/run\/malachite-agent\/node-agent\.cjs \/run\/malachite-agent\/agent\.sock \/mnt\/batch\/tasks/);
  });

  it("reports exit codes, signals as 128 + n, and missing or non-executable programs as 127 / 126", async () => {
    const jobId = await newJob();
    const cases = [
      { id: "ok", commandLine: "/bin/true", exitCode: 0 },
      { id: "three", commandLine: "/bin/sh -c 'exit 3'", exitCode: 3 },
      { id: "term", commandLine: "/bin/sh -c 'kill -TERM $$'", exitCode: 143 },
      { id: "missing", commandLine: "no-such-program arg", exitCode: 127 },
      { id: "not-executable", commandLine: "/etc/passwd", exitCode: 126 },
    ];
    await backend.batch.task.addCollection(
      jobId,
      cases.map(({ id, commandLine }) => ({ id, commandLine })),
    );
    for (const { id, exitCode } of cases) {
      const task = await completed(jobId, id);
      expect(task.executionInfo, id).toMatchObject({ exitCode, result: exitCode === 0 ? "success" : "failure" });
      if (exitCode !== 0) expect(task.executionInfo.failureInfo?.code, id).toBe("FailureExitCode");
    }
    expect((await backend.batch.file.getFromTask(jobId, "missing", "stderr.txt")).toString()).toContain("no-such-program: not found");
  });

  it("ends the whole process group when a task is terminated or runs out of wall clock", async () => {
    const jobId = await newJob();
    await backend.batch.task.add(jobId, { id: "terminated", commandLine: "/bin/sh -c 'sleep 301 & sleep 301; wait'" });
    await backend.batch.task.add(jobId, {
      id: "timed-out",
      commandLine: "/bin/sh -c 'sleep 302 & sleep 302; wait'",
      constraints: { maxWallClockTime: "PT3S" },
    });
    const task = await running(jobId, "terminated");
    const container = await containerOf(task);
    await waitUntil(
      () => processes(container),
      (list) => list.split("\n").filter((line) => line.startsWith("sleep 301")).length === 2,
      { timeoutMs: 10_000, intervalMs: 100, what: "both sleeps of the task to run" },
    );
    await backend.batch.task.terminate(jobId, "terminated");
    expect((await completed(jobId, "terminated", 10_000)).executionInfo).toMatchObject({ result: "failure", failureInfo: { code: "TaskEnded" } });
    const timedOut = await completed(jobId, "timed-out", 30_000);
    expect(timedOut.executionInfo).toMatchObject({ result: "failure", failureInfo: { code: "MaxWallClockTimeExpiry" } });
    for (const id of (await runtime.listManaged({ [LABEL.session]: backend.sessionId, [LABEL.pool]: poolId })).map((c) => c.id)) {
      expect(await processes(id)).not.toMatch(/sleep 30[12]/);
    }
  });

  it("dies with its node: the node becomes unusable and its running task is requeued onto the other node", async () => {
    const jobId = await newJob();
    await backend.batch.task.add(jobId, { id: "victim", commandLine: "/bin/sh -c 'sleep 4; echo done'" });
    const task = await running(jobId, "victim");
    const lostNodeId = task.nodeInfo?.nodeId as string;
    // The agent crashes: SIGKILL to init's only child.
    await inContainer(await containerOf(task), "kill -KILL $(cat /proc/1/task/1/children)");
    const lost = await waitUntil(
      () => backend.batch.computeNode.get(poolId, lostNodeId),
      (node) => node.state === "unusable",
      { timeoutMs: 10_000, intervalMs: 50, what: "the node to become unusable" },
    );
    expect(lost.errors?.[0]?.code).toBe("NodeUnreachable");
    const done = await completed(jobId, "victim", 60_000);
    expect(done.executionInfo).toMatchObject({ result: "success", exitCode: 0, requeueCount: 1 });
    expect(done.nodeInfo?.nodeId).not.toBe(lostNodeId);
    expect((await backend.batch.file.getFromTask(jobId, "victim", "stdout.txt")).toString()).toBe("done\n");
  });
});
