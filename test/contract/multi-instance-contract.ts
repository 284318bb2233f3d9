import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/core/backend.js";
import type { CloudTask } from "../../src/core/models/index.js";
import type { ContractTarget } from "./backend-contract.js";
import { CONTRACT_SETUP_TIMEOUT_MS } from "./backend-contract.js";
import { uniqueId, waitUntil as realTimeWaitUntil } from "./wait-until.js";

/**
 * The bash script both the coordination command and the application command of the contract's
 * multi-instance task run: each instance says whether it is the master, the host list and the
 * shared directory. A backend on a fake node runtime scripts it (test/support/contract-programs.ts).
 */
export const MULTI_INSTANCE_SCRIPT = 'echo "$AZ_BATCH_IS_CURRENT_NODE_MASTER|$AZ_BATCH_HOST_LIST|$AZ_BATCH_TASK_SHARED_DIR"';

/**
 * Multi-instance tasks as every backend runs them (articles/batch/batch-mpi.md): a pool of two
 * nodes with inter-node communication, a task on both, its subtask listed with its node.
 */
export function describeMultiInstanceContract(target: ContractTarget): void {
  describe(`multi-instance contract: ${target.name}`, () => {
    let backend: Backend;
    const poolId = uniqueId("mpipool");
    const waitUntil = target.waitUntil ?? realTimeWaitUntil;
    const bash = `/bin/bash -c '${MULTI_INSTANCE_SCRIPT}'`;

    beforeAll(async () => {
      backend = await target.start();
      await backend.batch.pool.add({ id: poolId, vmSize: "standard_d2s_v3", targetDedicatedNodes: 2, taskSlotsPerNode: 1, enableInterNodeCommunication: true });
      await waitUntil(
        () => backend.batch.computeNode.list(poolId),
        (nodes) => nodes.length === 2 && nodes.every((node) => node.state === "idle"),
        { timeoutMs: target.nodeTimeoutMs, what: "two idle nodes" },
      );
    }, CONTRACT_SETUP_TIMEOUT_MS);

    afterAll(async () => {
      await backend?.close();
    });

    async function completed(jobId: string, taskId: string): Promise<CloudTask> {
      return waitUntil(
        () => backend.batch.task.get(jobId, taskId),
        (task) => task.state === "completed",
        { timeoutMs: 120_000, what: `task ${taskId} to complete` },
      );
    }

    it("runs the primary and its subtask on distinct nodes, which see the same host list and shared directory", async () => {
      const jobId = uniqueId("job");
      await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
      await backend.batch.task.add(jobId, { id: "mpi", commandLine: bash, multiInstanceSettings: { numberOfInstances: 2, coordinationCommandLine: bash } });
      const task = await completed(jobId, "mpi");
      expect(task.executionInfo).toMatchObject({ exitCode: 0, result: "success" });
      const [master, hosts, sharedDir] = (await backend.batch.file.getFromTask(jobId, "mpi", "stdout.txt")).toString("utf8").trim().split("|");
      expect(master).toBe("true");
      expect(hosts?.split(",")).toHaveLength(2);
      expect(sharedDir).toMatch(new RegExp(`/mpi$`));

      const subtasks = await backend.batch.task.listSubtasks(jobId, "mpi");
      expect(subtasks).toHaveLength(1);
      const [subtask] = subtasks;
      expect(subtask).toMatchObject({ id: 1, state: "completed", exitCode: 0, result: "success" });
      const subtaskNode = subtask?.nodeInfo?.nodeId as string;
      expect(subtaskNode).toBeDefined();
      expect(subtaskNode).not.toBe(task.nodeInfo?.nodeId);
      const subtaskOut = await backend.batch.file.getFromComputeNode(poolId, subtaskNode, `${subtask?.nodeInfo?.taskRootDirectory}/stdout.txt`);
      expect(subtaskOut.toString("utf8").trim()).toBe(`false|${hosts}|${sharedDir}`);
    });

    it("lists no subtasks for a task that is not multi-instance", async () => {
      const jobId = uniqueId("job");
      await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
      await backend.batch.task.add(jobId, { id: "plain", commandLine: "/bin/true" });
      await completed(jobId, "plain");
      expect(await backend.batch.task.listSubtasks(jobId, "plain")).toEqual([]);
    });
  });
}
