import { afterEach, describe, expect, it } from "vitest";
import { NODE_RECOVERY_DELAY_MS } from "../../../src/backends/local/services/node-health.js";
import type { ComputeNode } from "../../../src/core/models/index.js";
import { rejectionOf } from "../../support/rejection-of.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
afterEach(() => bed?.close());

/** The node a task runs on. */
async function nodeOf(jobId: string, taskId: string): Promise<string> {
  const task = await bed.taskIn(jobId, taskId, "running");
  return task.nodeInfo?.nodeId as string;
}

function nodeIn(poolId: string, nodeId: string, state: ComputeNode["state"]) {
  return bed.waitFor(async () => {
    const node = await bed.batch.computeNode.get(poolId, nodeId);
    return node.state === state && node;
  }, `node ${nodeId} to be ${state}`);
}

/** A fresh bed whose pool (`pool` options) runs task `t` of job `job`: held until the test ends it. */
async function aRunningTask(pool: Parameters<TestBed["addPool"]>[1]) {
  bed = await TestBed.start();
  const held = bed.runtime.hold("work");
  await bed.addPool("pool", pool);
  await bed.addJob("job", "pool");
  await bed.batch.task.add("job", { id: "t", commandLine: "work" });
  const nodeId = await nodeOf("job", "t");
  await bed.waitFor(() => held.running.length === 1, "the task's process to start");
  return { held, nodeId };
}

describe("a node that dies", () => {
  it("becomes unusable, its running task is requeued and completes on another node, and the node comes back", async () => {
    const { held, nodeId: victim } = await aRunningTask({ targetDedicatedNodes: 2 });
    const container = bed.runtime.processesOf("t")[0]?.containerId as string;

    bed.runtime.crashNode(container);
    const lost = await nodeIn("pool", victim, "unusable");
    expect(lost.errors?.[0]).toMatchObject({ code: "NodeUnreachable" });
    const requeued = await bed.waitFor(async () => {
      const task = await bed.batch.task.get("job", "t");
      return task.state === "running" && task.nodeInfo?.nodeId !== victim && task;
    }, "the task to run again on the other node");
    expect(requeued.executionInfo).toMatchObject({ requeueCount: 1 });
    expect(requeued.executionInfo.lastRequeueTime).toBeDefined();
    await bed.waitFor(() => held.running.length === 1, "the requeued task's process to start");
    held.running[0]?.finish(0);
    const done = await bed.taskIn("job", "t", "completed");
    expect(done.executionInfo).toMatchObject({ result: "success", exitCode: 0, requeueCount: 1 });

    // Nothing is scheduled on the unusable node; after the recovery delay it is back on a new container.
    await bed.clock.advance(NODE_RECOVERY_DELAY_MS);
    const back = await nodeIn("pool", victim, "idle");
    expect(back.errors).toBeUndefined();
    expect(bed.runtime.nodes.size).toBe(2);
  });

  it("requeues a task killed by a signal when its node's container is seen exiting just after (the engine lags behind the kill)", async () => {
    const { held, nodeId: victim } = await aRunningTask({ targetDedicatedNodes: 2 });
    const container = bed.runtime.processesOf("t")[0]?.containerId as string;

    // The process dies first (SIGKILL: 137) while the container still reads as running.
    held.running[0]?.finish(137);
    setTimeout(() => bed.runtime.crashNode(container), 100);
    await nodeIn("pool", victim, "unusable");
    const requeued = await bed.waitFor(async () => {
      const task = await bed.batch.task.get("job", "t");
      return task.state === "running" && task;
    }, "the task to run again");
    expect(requeued.executionInfo).toMatchObject({ requeueCount: 1 });
    expect(requeued.nodeInfo?.nodeId).not.toBe(victim);
  });

  it("fails a task killed by a signal on a node that stays up, once the grace has passed", async () => {
    bed = await TestBed.start();
    const held = bed.runtime.hold("work");
    await bed.addPool("pool", { targetDedicatedNodes: 1 });
    await bed.addJob("job", "pool");
    await bed.batch.task.add("job", { id: "t", commandLine: "work" });
    await bed.waitFor(() => held.running.length === 1, "the task's process to start");
    held.running[0]?.finish(137);
    const done = await bed.waitFor(
      async () => {
        const task = await bed.batch.task.get("job", "t");
        return task.state === "completed" && task;
      },
      "the task to complete",
      { timeoutMs: 4_000 },
    );
    expect(done.executionInfo).toMatchObject({ exitCode: 137, result: "failure", requeueCount: 0 });
  });

  it("killNode through the fault API is noticed the same way", async () => {
    bed = await TestBed.start();
    const { nodes } = await bed.addPool("pool", { targetDedicatedNodes: 1 });
    const node = nodes[0] as ComputeNode;
    await bed.batch.faults.inject({ type: "killNode", poolId: "pool", nodeId: node.id });
    await nodeIn("pool", node.id, "unusable");
    await bed.clock.advance(NODE_RECOVERY_DELAY_MS);
    await nodeIn("pool", node.id, "idle");
  });

  it("preemptNode: a Spot node is preempted, the task requeued, the node back later", async () => {
    const { held, nodeId } = await aRunningTask({ targetDedicatedNodes: 0, targetLowPriorityNodes: 1 });
    await bed.batch.faults.inject({ type: "preemptNode", poolId: "pool", nodeId });
    await bed.waitFor(() => held.runs[0]?.killed, "the preempted task's process to be killed");
    await nodeIn("pool", nodeId, "preempted");
    const waiting = await bed.taskIn("job", "t", "active");
    expect(waiting.executionInfo.requeueCount).toBe(1);
    await bed.clock.advance(NODE_RECOVERY_DELAY_MS);
    await bed.taskIn("job", "t", "running");
    await bed.waitFor(() => held.running.length === 1, "the requeued task's process to start");
    held.running[0]?.finish(0);
    expect((await bed.taskIn("job", "t", "completed")).executionInfo.result).toBe("success");
  });
  it("preemptNode refuses a dedicated node: the service never preempts one", async () => {
    bed = await TestBed.start();
    const { nodes } = await bed.addPool("pool", { targetDedicatedNodes: 1 });
    const node = nodes[0] as ComputeNode;
    const error = await rejectionOf(bed.batch.faults.inject({ type: "preemptNode", poolId: "pool", nodeId: node.id }));
    expect(error).toMatchObject({ statusCode: 409, code: "OperationInvalidForCurrentState" });
    expect((error as Error).message).toContain("only Spot/low-priority compute nodes can be preempted");
    expect((await bed.batch.computeNode.get("pool", node.id)).state).toBe("idle");
  });
});

describe("faults that take effect later", () => {
  it("failStartTask: the next node's start task fails as an exit code 1 would", async () => {
    bed = await TestBed.start();
    await bed.addPool("pool", { targetDedicatedNodes: 0, startTask: { commandLine: "/bin/true", waitForSuccess: true } });
    await bed.batch.faults.inject({ type: "failStartTask", poolId: "pool" });
    await bed.batch.pool.resize("pool", { targetDedicatedNodes: 2 });
    const nodes = await bed.waitFor(async () => {
      const list = await bed.batch.computeNode.list("pool");
      return list.length === 2 && list.every((n) => n.state === "idle" || n.state === "starttaskfailed") && list;
    }, "both nodes to settle");
    const failed = nodes.filter((n) => n.state === "starttaskfailed");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.startTaskInfo).toMatchObject({ state: "completed", exitCode: 1, result: "failure", failureInfo: { code: "FailureExitCode" } });
  });

  it("failResourceFiles: the task's next attempt fails to download", async () => {
    bed = await TestBed.start();
    await bed.addPool("pool");
    await bed.addJob("job", "pool");
    await bed.batch.task.add("job", { id: "t", commandLine: "/bin/true" });
    // Inject before it can start: the task was added in this turn, scheduling happens on the next.
    await bed.batch.faults.inject({ type: "failResourceFiles", jobId: "job", taskId: "t" });
    const task = await bed.taskIn("job", "t", "completed");
    expect(task.executionInfo).toMatchObject({ result: "failure", failureInfo: { category: "usererror", code: "BlobDownloadMiscError" } });
    expect(bed.runtime.processesOf("t")).toEqual([]);
  });

  it("slowNode: tasks on the node start only after the delay, on the clock", async () => {
    bed = await TestBed.start();
    const { nodes } = await bed.addPool("pool");
    await bed.batch.faults.inject({ type: "slowNode", poolId: "pool", nodeId: (nodes[0] as ComputeNode).id, delayMs: 5000 });
    await bed.addJob("job", "pool");
    await bed.batch.task.add("job", { id: "t", commandLine: "/bin/true" });
    await bed.taskIn("job", "t", "running");
    await bed.clock.advance(4999);
    expect(bed.runtime.processesOf("t")).toEqual([]);
    await bed.clock.advance(1);
    await bed.taskIn("job", "t", "completed");
  });

  it("refuses faults on what does not exist, in the service's error format", async () => {
    bed = await TestBed.start();
    const error = await rejectionOf(bed.batch.faults.inject({ type: "killNode", poolId: "nope", nodeId: "n" }));
    expect(error).toMatchObject({ statusCode: 404, code: "PoolNotFound" });
  });
});
