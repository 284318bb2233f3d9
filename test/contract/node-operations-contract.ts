/**
 * Node operations every backend owes its users (through the backend interface only): reboot,
 * disable and enable scheduling, remote login settings, Batch service logs and extensions. Each
 * backend's contract runner calls `describeNodeOperationsContract` once, next to
 * `describeBackendContract`. (Start and deallocate are not here: the Azure backend's SDK predates them.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/core/backend.js";
import type { ComputeNode } from "../../src/core/models/index.js";
import { CONTRACT_SCRIPTS, type ContractTarget } from "./backend-contract.js";
import { uniqueId, waitUntil as realTimeWaitUntil } from "./wait-until.js";
import { rejection } from "./batch-rejection.js";

const bash = (script: string) => `/bin/bash -c '${script.replace(/'/g, `'\\''`)}'`;

export function describeNodeOperationsContract(target: ContractTarget): void {
  describe(`node operations contract: ${target.name}`, () => {
    let backend: Backend;
    let poolId: string;
    let nodeId: string;
    const waitUntil = target.waitUntil ?? realTimeWaitUntil;

    const nodeIn = (state: ComputeNode["state"]) =>
      waitUntil(
        () => backend.batch.computeNode.get(poolId, nodeId),
        (node) => node.state === state,
        { timeoutMs: target.nodeTimeoutMs, what: `the node to be ${state}` },
      );

    beforeAll(async () => {
      backend = await target.start();
      poolId = uniqueId("pool");
      await backend.batch.pool.add({ id: poolId, vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
      const nodes = await waitUntil(
        () => backend.batch.computeNode.list(poolId),
        (list) => list.length === 1 && list[0]?.state === "idle",
        { timeoutMs: target.nodeTimeoutMs, what: "an idle node" },
      );
      nodeId = (nodes[0] as ComputeNode).id;
    }, target.nodeTimeoutMs + 60_000);

    afterAll(async () => {
      await backend?.close();
    }, 60_000);

    it("reboots an idle node, which comes back idle and runs tasks; a missing node is NodeNotFound", async () => {
      await backend.batch.computeNode.reboot(poolId, nodeId, "requeue");
      expect((await backend.batch.computeNode.get(poolId, nodeId)).state).not.toBe("idle");
      await nodeIn("idle");
      const jobId = uniqueId("job");
      await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
      await backend.batch.task.add(jobId, { id: "after-reboot", commandLine: bash(CONTRACT_SCRIPTS.environment) });
      const done = await waitUntil(
        () => backend.batch.task.get(jobId, "after-reboot"),
        (task) => task.state === "completed",
        { timeoutMs: 120_000, what: "the task to complete" },
      );
      expect(done.executionInfo).toMatchObject({ result: "success", exitCode: 0 });
      expect((await rejection(backend.batch.computeNode.reboot(poolId, "tvm-none"))).code).toBe("NodeNotFound");
    });

    it("disables scheduling (the idle node goes offline) and enables it again", async () => {
      await backend.batch.computeNode.disableScheduling(poolId, nodeId, "taskcompletion");
      expect(await backend.batch.computeNode.get(poolId, nodeId)).toMatchObject({ state: "offline", schedulingState: "disabled" });
      expect((await rejection(backend.batch.computeNode.disableScheduling(poolId, nodeId))).code).toBe("NodeAlreadyInTargetSchedulingState");
      await backend.batch.computeNode.enableScheduling(poolId, nodeId);
      expect(await backend.batch.computeNode.get(poolId, nodeId)).toMatchObject({ state: "idle", schedulingState: "enabled" });
    });

    it("answers the remote login settings, no extensions, and uploads the Batch service logs", async () => {
      const login = await backend.batch.computeNode.getRemoteLoginSettings(poolId, nodeId);
      expect(login).toEqual({ remoteLoginIPAddress: "127.0.0.1", remoteLoginPort: 22 });
      expect(await backend.batch.computeNode.listExtensions(poolId, nodeId)).toEqual([]);
      expect((await rejection(backend.batch.computeNode.getExtension(poolId, nodeId, "CustomScript"))).statusCode).toBe(404);

      const container = uniqueId("logs");
      await backend.storage.createContainer(container);
      const containerUrl = backend.storage.containerSasUrl(container, "w", new Date(Date.now() + 3_600_000));
      const result = await backend.batch.computeNode.uploadBatchServiceLogs(poolId, nodeId, { containerUrl, startTime: "2000-01-01T00:00:00Z" });
      expect(result.virtualDirectoryName.startsWith(`${poolId}/`)).toBe(true);
      expect(result.numberOfFilesUploaded).toBeGreaterThanOrEqual(1);
      const blobs = await backend.storage.listBlobs(container, result.virtualDirectoryName);
      expect(blobs.length).toBe(result.numberOfFilesUploaded);
    });
  });
}
