/**
 * Application packages on real Docker nodes: a pool's package is unpacked when the node starts
 * and a task's before it runs; an unprivileged task runs the package's program through the
 * AZ_BATCH_APP_PACKAGE_* variables, as on a Linux node of the service.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalBackend } from "../../src/backends/local/local-backend.js";
import { uniqueId, waitUntil } from "../contract/wait-until.js";
import { writeZip } from "../support/zip-file.js";
import { startLocalBackend } from "./local-test-backend.js";

describe("application packages on Docker nodes", () => {
  let backend: LocalBackend;
  const poolId = uniqueId("pool");

  beforeAll(async () => {
    backend = await startLocalBackend();
    const work = mkdtempSync(path.join(os.tmpdir(), "malachite-packages-"));
    const greeter = await writeZip(path.join(work, "greeter.zip"), [
      { name: "bin/greet.sh", content: '#!/bin/sh\necho "hello from greeter $1"\n', mode: 0o100755 },
    ]);
    const data = await writeZip(path.join(work, "data.zip"), [{ name: "words.txt", content: "alpha beta\n" }]);
    await backend.batch.application.add("greeter", "1.0", greeter, { makeDefault: true });
    await backend.batch.application.add("my-data", "2024.1", data);
    await backend.batch.pool.add({
      id: poolId,
      vmSize: "standard_a1",
      targetDedicatedNodes: 1,
      applicationPackageReferences: [{ applicationId: "greeter" }],
      startTask: { commandLine: `/bin/sh -c '$AZ_BATCH_APP_PACKAGE_greeter/bin/greet.sh start'` },
    });
    await waitUntil(
      () => backend.batch.computeNode.list(poolId),
      (nodes) => nodes.length === 1 && nodes.every((n) => n.state === "idle"),
      { timeoutMs: 60_000, what: "an idle node" },
    );
  });

  afterAll(async () => {
    await backend?.close();
  });

  it("runs the pool's package in the start task, and a task's package with the versioned variable", async () => {
    const [node] = await backend.batch.computeNode.list(poolId);
    const root = path.join(backend.dataDir, "nodes", poolId, node!.id);
    expect(readFileSync(path.join(root, "startup/stdout.txt"), "utf8")).toBe("hello from greeter start\n");
    const jobId = uniqueId("job");
    await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
    await backend.batch.task.add(jobId, {
      id: "reader",
      commandLine: `/bin/sh -c '$AZ_BATCH_APP_PACKAGE_greeter_1_0/bin/greet.sh task; cat $AZ_BATCH_APP_PACKAGE_my_data_2024_1/words.txt; env | grep ^AZ_BATCH_APP_PACKAGE_ | sort'`,
      applicationPackageReferences: [{ applicationId: "my-data", version: "2024.1" }],
    });
    const task = await waitUntil(
      () => backend.batch.task.get(jobId, "reader"),
      (t) => t.state === "completed",
      { timeoutMs: 60_000, what: "the task" },
    );
    const stdout = (await backend.batch.file.getFromTask(jobId, "reader", "stdout.txt")).toString();
    expect(task.executionInfo.result, stdout).toBe("success");
    expect(stdout).toBe(
      [
        "hello from greeter task",
        "alpha beta",
        "AZ_BATCH_APP_PACKAGE_greeter=/mnt/batch/tasks/applications/greeter#1.0",
        "AZ_BATCH_APP_PACKAGE_greeter_1_0=/mnt/batch/tasks/applications/greeter#1.0",
        "AZ_BATCH_APP_PACKAGE_my_data_2024_1=/mnt/batch/tasks/applications/my-data#2024.1",
        "",
      ].join("\n"),
    );
  });
});
