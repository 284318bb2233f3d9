/**
 * `mountConfiguration` with `azureBlobFileSystemConfiguration`, through the official JS SDK: the
 * container's blobs are in `$AZ_BATCH_NODE_MOUNTS_DIR/<relativeMountPath>` when the node's start
 * task runs; what a task writes or deletes there is in the container once the task has completed;
 * a node that starts later sees it. The pool's key is neither kept nor reported.
 */
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalBackend } from "../../../src/backends/local/local-backend.js";
import { FakeClock } from "../../support/fake-clock.js";
import { FakeNodeRuntime } from "../../support/fake-node-runtime.js";
import { restErrorOf } from "../../support/rejection-of.js";
import { startOn } from "../../support/start-on-data-dir.js";
import { TestBed } from "../../support/test-bed.js";

const CONTAINER = "shared-data";
const MOUNT = "/mnt/batch/tasks/fsmounts/data";
const KEY = "c2VjcmV0IGtleSBvZiB0aGUgcG9vbA==";

let bed: TestBed;
let client: BatchServiceClient;

beforeAll(async () => {
  bed = await TestBed.start({ server: true, azurite: true });
  client = await bed.client();
  const storage = bed.backend.storage;
  await storage.createContainer(CONTAINER);
  await storage.uploadData(CONTAINER, "input.txt", "from the container\n");
  await storage.uploadData(CONTAINER, "dir/nested.txt", "nested\n");
  await storage.uploadData(CONTAINER, "old.txt", "to be deleted\n");
  // A task program that works on the mount: `mountwork` writes, rewrites and deletes files there.
  bed.runtime.programs.set("mountwork", async (run) => {
    await writeFile(run.hostPath(`${MOUNT}/result.txt`), `${run.env.AZ_BATCH_TASK_ID}\n`);
    await writeFile(run.hostPath(`${MOUNT}/dir/nested.txt`), "rewritten\n");
    await rm(run.hostPath(`${MOUNT}/old.txt`));
    // A link out of the node root is not followed: nothing of the host is uploaded.
    await symlink("/etc/hostname", run.hostPath(`${MOUNT}/host-file`));
    return {};
  });
});

afterAll(async () => {
  await bed?.close();
});

const blobMount = (extra: Partial<BatchServiceModels.AzureBlobFileSystemConfiguration> = {}): BatchServiceModels.MountConfiguration => ({
  azureBlobFileSystemConfiguration: {
    accountName: bed.backend.storage.accountName,
    containerName: CONTAINER,
    relativeMountPath: "data",
    accountKey: KEY,
    ...extra,
  },
});

async function blobNames(): Promise<string[]> {
  return (await bed.backend.storage.listBlobs(CONTAINER)).map((blob) => blob.name).sort();
}

describe("azureBlobFileSystemConfiguration", () => {
  it("puts the container's blobs in the mount directory before the start task runs, and keeps no key", async () => {
    await client.pool.add({
      id: "mounted",
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 1,
      mountConfiguration: [blobMount({ blobfuseOptions: "-o attr_timeout=240" })],
      startTask: { commandLine: `cat ${MOUNT}/input.txt ${MOUNT}/dir/nested.txt`, waitForSuccess: true },
    });
    const [node] = await bed.waitFor(async () => {
      const nodes = await client.computeNode.list("mounted");
      return nodes.length === 1 && nodes[0]?.state === "idle" && nodes;
    }, "an idle node");
    expect(node?.startTaskInfo?.exitCode).toBe(0);
    const started = bed.runtime.processes.find((p) => p.argv[0] === "cat");
    expect(started?.env.AZ_BATCH_NODE_MOUNTS_DIR).toBe("/mnt/batch/tasks/fsmounts");
    const hostRoot = bed.runtime.nodeStarts[0]?.hostNodeRootDir as string;
    expect(await readFile(`${hostRoot}/fsmounts/data/input.txt`, "utf8")).toBe("from the container\n");
    expect(await readFile(`${hostRoot}/fsmounts/data/dir/nested.txt`, "utf8")).toBe("nested\n");
    const pool = await client.pool.get("mounted");
    expect(pool.mountConfiguration).toEqual([
      {
        azureBlobFileSystemConfiguration: {
          accountName: bed.backend.storage.accountName,
          containerName: CONTAINER,
          relativeMountPath: "data",
          blobfuseOptions: "-o attr_timeout=240",
        },
      },
    ]);
    expect(JSON.stringify(await bed.batch.pool.get("mounted"))).not.toContain(KEY);
  });

  it("uploads what a task wrote and deletes what it deleted once it completed; a later node sees it", async () => {
    await client.job.add({ id: "j", poolInfo: { poolId: "mounted" } });
    await client.task.add("j", { id: "writer", commandLine: "mountwork" });
    const task = await bed.taskIn("j", "writer", "completed");
    expect(task.executionInfo.result).toBe("success");
    expect(await blobNames()).toEqual(["dir/nested.txt", "input.txt", "result.txt"]);
    expect((await bed.backend.storage.downloadToBuffer(CONTAINER, "result.txt")).toString()).toBe("writer\n");
    expect((await bed.backend.storage.downloadToBuffer(CONTAINER, "dir/nested.txt")).toString()).toBe("rewritten\n");

    await client.pool.resize("mounted", { targetDedicatedNodes: 2 });
    await bed.waitFor(async () => (await client.computeNode.list("mounted")).filter((n) => n.state === "idle").length === 2, "two idle nodes");
    const second = bed.runtime.nodeStarts[1]?.hostNodeRootDir as string;
    expect(await readFile(`${second}/fsmounts/data/result.txt`, "utf8")).toBe("writer\n");
    expect(await readFile(`${second}/fsmounts/data/old.txt`, "utf8").catch(() => "absent")).toBe("absent");
  });

  it("makes the node unusable when the container cannot be mounted, with the service's MountConfigurationError", async () => {
    await client.pool.add({
      id: "nocontainer",
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 1,
      mountConfiguration: [blobMount({ containerName: "absent" })],
    });
    const [node] = await bed.waitFor(async () => {
      const nodes = await client.computeNode.list("nocontainer");
      return nodes[0]?.state === "unusable" && nodes;
    }, "an unusable node");
    expect(node?.errors?.[0]).toMatchObject({
      code: "MountConfigurationError",
      errorDetails: [{ name: "Message", value: expect.stringContaining("ContainerNotFound") }],
    });
  });

  it("refuses another storage account, two credentials or none, and a path out of the mounts directory", async () => {
    const refusal = async (mount: BatchServiceModels.MountConfiguration) => {
      const error = await restErrorOf(client.pool.add({ id: "refused", vmSize: "standard_d2s_v3", mountConfiguration: [mount] }));
      const values = (error.body as { values?: { key: string; value: string }[] } | undefined)?.values ?? [];
      return [error.code, values.find((v) => v.key === "PropertyName")?.value];
    };
    expect(await refusal(blobMount({ accountName: "myaccount" }))).toEqual([
      "UnsupportedProperty",
      "mountConfiguration[0].azureBlobFileSystemConfiguration.accountName",
    ]);
    expect(await refusal(blobMount({ sasKey: "sv=x" }))).toEqual(["InvalidPropertyValue", "mountConfiguration[0].azureBlobFileSystemConfiguration"]);
    expect(await refusal(blobMount({ accountKey: undefined }))).toEqual(["InvalidPropertyValue", "mountConfiguration[0].azureBlobFileSystemConfiguration"]);
    expect(await refusal(blobMount({ relativeMountPath: "../escape" }))).toEqual([
      "InvalidPropertyValue",
      "mountConfiguration[0].azureBlobFileSystemConfiguration.relativeMountPath",
    ]);
    expect(await refusal({ nfsMountConfiguration: { source: "host:/x", relativeMountPath: "n" } })).toEqual([
      "UnsupportedProperty",
      "mountConfiguration[0].nfsMountConfiguration",
    ]);
  });

  it("a node adopted after a crash keeps its container; its mount is mirrored again from the container", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-mounts-adopt-"));
    const clock = new FakeClock();
    const runtime = new FakeNodeRuntime(clock);
    runtime.agentsSurviveRestart = true;
    const opened: LocalBackend[] = [];
    try {
      await bed.backend.storage.createContainer("adopt-data");
      await bed.backend.storage.uploadData("adopt-data", "input.txt", "from the container\n");
      const first = await startOn(dataDir, clock, runtime, bed.backend.blob);
      opened.push(first.backend);
      const mount = blobMount({ containerName: "adopt-data" });
      await first.backend.batch.pool.add({ id: "adopted", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1, mountConfiguration: [mount] });
      const idle = async (backend: LocalBackend) =>
        bed.waitFor(async () => (await backend.batch.computeNode.list("adopted"))[0]?.state === "idle", "an idle node");
      await idle(first.backend);
      const hostRoot = runtime.nodeStarts[0]?.hostNodeRootDir as string;
      // A task killed with Malachite wrote here and was never synced; meanwhile the container gained a blob.
      await writeFile(`${hostRoot}/fsmounts/data/input.txt`, "half-written\n");
      await bed.backend.storage.uploadData("adopt-data", "later.txt", "added while Malachite was down\n");

      runtime.emulatorDied();
      const second = await startOn(dataDir, new FakeClock(clock.now() + 60_000), runtime, bed.backend.blob);
      opened.push(second.backend);
      await idle(second.backend);
      expect(runtime.nodeStarts).toHaveLength(1);
      expect(await readFile(`${hostRoot}/fsmounts/data/later.txt`, "utf8")).toBe("added while Malachite was down\n");
      expect(await readFile(`${hostRoot}/fsmounts/data/input.txt`, "utf8")).toBe("from the container\n");
    } finally {
      for (const backend of opened.reverse()) await backend.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("keeps the mounts, without their keys, across a restart", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-mounts-"));
    try {
      const first = await startOn(dataDir);
      const mount = {
        azureBlobFileSystemConfiguration: {
          accountName: first.backend.storage.accountName,
          containerName: "c",
          relativeMountPath: "m",
          sasKey: "sv=2020&sig=x",
        },
      };
      await first.backend.batch.pool.add({ id: "kept", vmSize: "standard_d2s_v3", mountConfiguration: [mount] });
      await first.backend.close();
      const second = await startOn(dataDir);
      expect((await second.backend.batch.pool.get("kept")).mountConfiguration).toEqual([
        { azureBlobFileSystemConfiguration: { accountName: first.backend.storage.accountName, containerName: "c", relativeMountPath: "m" } },
      ]);
      await second.backend.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
