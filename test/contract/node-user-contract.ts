import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/core/backend.js";
import type { CloudTask, UserIdentity } from "../../src/core/models/index.js";
import type { ContractTarget } from "./backend-contract.js";
import { uniqueId, waitUntil as realTimeWaitUntil } from "./wait-until.js";
import { rejection } from "./batch-rejection.js";

/**
 * Node users and named user identities as every backend owes them, through the backend interface
 * only: a pool's user account and a node user exist on the node, tasks run as them (`id -u`,
 * a program of every node), and the service's errors for a taken or unknown name.
 */
export function describeNodeUserContract(target: ContractTarget): void {
  describe(`node users and named user identities: ${target.name}`, () => {
    let backend: Backend;
    let poolId: string;
    let nodeId: string;
    let jobId: string;
    const waitUntil = target.waitUntil ?? realTimeWaitUntil;

    beforeAll(
      async () => {
        backend = await target.start();
        poolId = uniqueId("user-pool");
        await backend.batch.pool.add({
          id: poolId,
          vmSize: "standard_d2s_v3",
          targetDedicatedNodes: 1,
          userAccounts: [{ name: "svc", password: "Contract-Pass-1", linuxUserConfiguration: { uid: 4500, gid: 4500 } }],
        });
        const [node] = await waitUntil(
          () => backend.batch.computeNode.list(poolId),
          (nodes) => nodes.length === 1 && nodes[0]?.state === "idle",
          { timeoutMs: target.nodeTimeoutMs, what: "an idle node" },
        );
        nodeId = node?.id as string;
        jobId = uniqueId("user-job");
        await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
      },
      Math.max(60_000, 2 * target.nodeTimeoutMs + 30_000),
    );

    afterAll(async () => {
      await backend?.close();
    });

    async function runAs(userIdentity: UserIdentity): Promise<{ task: CloudTask; stdout: string }> {
      const taskId = uniqueId("as");
      await backend.batch.task.add(jobId, { id: taskId, commandLine: "id -u", userIdentity });
      const task = await waitUntil(
        () => backend.batch.task.get(jobId, taskId),
        (t) => t.state === "completed",
        { timeoutMs: target.nodeTimeoutMs, what: `task ${taskId} to complete` },
      );
      const stdout = task.executionInfo.result === "success" ? (await backend.batch.file.getFromTask(jobId, taskId, "stdout.txt")).toString("utf8") : "";
      return { task, stdout };
    }

    it("runs a task as the pool's user account, with its uid", async () => {
      const { task, stdout } = await runAs({ username: "svc" });
      expect(task.executionInfo.result).toBe("success");
      expect(stdout).toBe("4500\n");
    });

    it("adds a node user a task can run as; a taken name is 409 NodeUserExists; delete makes it unknown (404 NodeUserNotFound)", async () => {
      await backend.batch.computeNode.addUser(poolId, nodeId, { name: "ops", password: "Contract-Pass-2" });
      const taken = await rejection(backend.batch.computeNode.addUser(poolId, nodeId, { name: "ops" }));
      expect([taken.statusCode, taken.code]).toEqual([409, "NodeUserExists"]);
      const { task, stdout } = await runAs({ username: "ops" });
      expect(task.executionInfo.result).toBe("success");
      expect(Number(stdout.trim())).toBeGreaterThan(0);
      expect(stdout.trim()).not.toBe("4500");

      await backend.batch.computeNode.updateUser(poolId, nodeId, "ops", {
        password: "Contract-Pass-3",
        expiryTime: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      });
      await backend.batch.computeNode.deleteUser(poolId, nodeId, "ops");
      for (const call of [
        backend.batch.computeNode.deleteUser(poolId, nodeId, "ops"),
        backend.batch.computeNode.updateUser(poolId, nodeId, "ops", { password: "x" }),
      ]) {
        const unknown = await rejection(call);
        expect([unknown.statusCode, unknown.code]).toEqual([404, "NodeUserNotFound"]);
      }
    });

    it("a task as a user the node does not have fails without running", async () => {
      const { task } = await runAs({ username: "ghost" });
      expect(task.executionInfo.result).toBe("failure");
      expect(task.executionInfo.failureInfo?.category).toBe("usererror");
    });
  });
}
