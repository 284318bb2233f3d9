/**
 * Issue 8, as shown against `malachite serve`, on real Docker nodes: a non-admin task must not
 * make the emulator (root on the host) write or serve a host file outside the node root through a
 * symbolic link it planted. The host files are temporary files with known content.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalBackend } from "../../src/backends/local/local-backend.js";
import { BatchError } from "../../src/core/batch-error.js";
import type { CloudTask, TaskAddParameter } from "../../src/core/models/index.js";
import { uniqueId, waitUntil } from "../contract/wait-until.js";
import { startLocalBackend } from "./local-test-backend.js";

const bash = (script: string) => `/bin/bash -c '${script.replace(/'/g, `'\\''`)}'`;
const TARGET_CONTENT = "a host file a task must never write\n";
const SECRET = "a host secret a task must never read\n";

describe("no host escape through links a task plants", () => {
  let backend: LocalBackend;
  const poolId = uniqueId("epool");
  const jobId = uniqueId("ejob");
  const hostDir = mkdtempSync(path.join(os.tmpdir(), "malachite-host-"));
  const target = path.join(hostDir, "target.txt");
  const secret = path.join(hostDir, "secret.txt");

  async function run(task: TaskAddParameter): Promise<CloudTask> {
    await backend.batch.task.add(jobId, task);
    return waitUntil(
      () => backend.batch.task.get(jobId, task.id),
      (t) => t.state === "completed",
      { what: `task ${task.id}`, timeoutMs: 120_000 },
    );
  }

  beforeAll(async () => {
    writeFileSync(target, TARGET_CONTENT);
    writeFileSync(secret, SECRET);
    chmodSync(secret, 0o600);
    backend = await startLocalBackend();
    await backend.batch.pool.add({ id: poolId, vmSize: "standard_a1", targetDedicatedNodes: 1 });
    await waitUntil(
      () => backend.batch.computeNode.list(poolId),
      (nodes) => nodes.length === 1 && nodes[0]?.state === "idle",
      {
        timeoutMs: 60_000,
        what: "an idle node",
      },
    );
    await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
  });

  afterAll(async () => {
    await backend?.close();
    rmSync(hostDir, { recursive: true, force: true });
  });

  it("a retried task whose stdout.txt became a link to a host file leaves that file unchanged", async () => {
    const task = await run({
      id: "swap-stdout",
      commandLine: bash(`ln -sfn ${target} "$AZ_BATCH_TASK_DIR/stdout.txt" && echo written-by-the-task && exit 1`),
      constraints: { maxTaskRetryCount: 1 },
    });
    expect(task.executionInfo).toMatchObject({ result: "failure", retryCount: 1, exitCode: 1 });
    expect(readFileSync(target, "utf8")).toBe(TARGET_CONTENT);
  });

  it("a link in the working directory to a host file is not served by the file API", async () => {
    const task = await run({ id: "plant-link", commandLine: bash(`ln -s ${secret} link && ln -s ../stdout.txt inside && echo planted`) });
    expect(task.executionInfo.result).toBe("success");
    const nodeId = task.nodeInfo?.nodeId as string;
    const refusal = async (read: Promise<Buffer>) =>
      read.then(
        (content) => content.toString("utf8"),
        (error: unknown) => error,
      );
    for (const attempt of [
      refusal(backend.batch.file.getFromTask(jobId, "plant-link", "wd/link")),
      refusal(backend.batch.file.getFromComputeNode(poolId, nodeId, `workitems/${jobId}/job-1/plant-link/wd/link`)),
    ]) {
      const outcome = await attempt;
      expect(outcome).toBeInstanceOf(BatchError);
      expect((outcome as BatchError).code).toBe("FileNotFound");
    }
    // A link that stays inside the node root still reads as its target.
    expect((await backend.batch.file.getFromTask(jobId, "plant-link", "wd/inside")).toString("utf8")).toBe("planted\n");
  });
});
