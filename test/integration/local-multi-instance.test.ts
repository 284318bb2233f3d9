/**
 * A multi-instance task on real node containers, shaped like Microsoft's Python MPI sample
 * (azure-batch-samples, Python/Batch/article_samples/mpi) without MPI: the subtask's coordination
 * command starts a background service and waits until it answers; the primary's application
 * command reaches it through AZ_BATCH_HOST_LIST. Nodes share the host's network, so the service
 * listens on the host list's address at a port of its own.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalBackend } from "../../src/backends/local/local-backend.js";
import { uniqueId, waitUntil } from "../contract/wait-until.js";
import { startLocalBackend } from "./local-test-backend.js";

const PORT = 40_000 + Math.floor(Math.random() * 10_000);

/** The subtask's service answers with its node id and the host list it was given. */
const SERVE = `require(\\"net\\").createServer((s) => s.end(process.env.AZ_BATCH_NODE_ID + \\" \\" + process.env.AZ_BATCH_HOST_LIST)).listen(${PORT}, process.env.AZ_BATCH_HOST_LIST.split(\\",\\")[1])`;
const PROBE = `require(\\"net\\").connect(${PORT}, process.env.AZ_BATCH_HOST_LIST.split(\\",\\")[1]).on(\\"data\\", (d) => process.stdout.write(d)).on(\\"error\\", () => process.exit(1))`;

/** Whether something listens on the host's loopback at `port` (the nodes share the host's network). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const COORDINATION = [
  `if [ "$AZ_BATCH_IS_CURRENT_NODE_MASTER" = false ]; then`,
  `nohup node -e "${SERVE}" > $AZ_BATCH_TASK_SHARED_DIR/service.log 2>&1 &`,
  `for i in $(seq 100); do node -e "${PROBE}" > /dev/null && break; sleep 0.1; done;`,
  `fi; echo "coordinated $AZ_BATCH_NODE_ID $AZ_BATCH_HOST_LIST"`,
].join(" ");

describe("a multi-instance task on Docker nodes", () => {
  let backend: LocalBackend;
  const poolId = uniqueId("mpipool");

  beforeAll(async () => {
    backend = await startLocalBackend();
    await backend.batch.pool.add({ id: poolId, vmSize: "standard_a1", targetDedicatedNodes: 2, enableInterNodeCommunication: true });
    await waitUntil(
      () => backend.batch.computeNode.list(poolId),
      (nodes) => nodes.length === 2 && nodes.every((n) => n.state === "idle"),
      { timeoutMs: 60_000, what: "two idle nodes" },
    );
  });

  afterAll(async () => {
    await backend?.close();
  });

  it("lets the primary reach the service its subtask started, through the host list", async () => {
    const jobId = uniqueId("job");
    await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
    await backend.batch.task.add(jobId, {
      id: "mpi",
      commandLine: `/bin/bash -c 'node -e "${PROBE}"'`,
      multiInstanceSettings: { numberOfInstances: 2, coordinationCommandLine: `/bin/bash -c '${COORDINATION}'` },
    });
    const task = await waitUntil(
      () => backend.batch.task.get(jobId, "mpi"),
      (t) => t.state === "completed",
      { timeoutMs: 60_000, what: "the task to complete" },
    );
    const stderr = (await backend.batch.file.getFromTask(jobId, "mpi", "stderr.txt")).toString();
    expect(task.executionInfo, stderr).toMatchObject({ exitCode: 0, result: "success" });

    const [subtask] = await backend.batch.task.listSubtasks(jobId, "mpi");
    const subtaskNode = subtask?.nodeInfo?.nodeId as string;
    expect(subtaskNode).not.toBe(task.nodeInfo?.nodeId);
    expect(subtask).toMatchObject({ id: 1, state: "completed", exitCode: 0, result: "success" });
    // The primary heard from the subtask's node, which had the same host list.
    const answer = (await backend.batch.file.getFromTask(jobId, "mpi", "stdout.txt")).toString();
    expect(answer).toBe(`${subtaskNode} 127.0.0.1,127.0.0.1`);
    const coordinated = await backend.batch.file.getFromComputeNode(poolId, subtaskNode, `${subtask?.nodeInfo?.taskRootDirectory}/stdout.txt`);
    expect(coordinated.toString()).toBe(`coordinated ${subtaskNode} 127.0.0.1,127.0.0.1\n`);
    // The primary's end ended the subtask, service included: nothing listens any more.
    expect(await answers(PORT)).toBe(false);
  });
});
