/**
 * Application packages through @azure/batch 10.2.0: `GET /applications` from the data directory's
 * store, `applicationPackageReferences` on pools (installed as each node starts) and on tasks
 * (installed before the task runs), with the AZ_BATCH_APP_PACKAGE_* variables of a Linux node.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { restErrorOf } from "../../support/rejection-of.js";
import { waitFor } from "../../support/settle.js";
import { signedFetcher } from "../../support/signed-fetch.js";
import { startOn } from "../../support/start-on-data-dir.js";
import { TestBed } from "../../support/test-bed.js";
import { writeZip } from "../../support/zip-file.js";

let bed: TestBed;
let client: BatchServiceClient;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
});

afterEach(async () => {
  await bed.close();
});

async function addPackage(applicationId: string, version: string, files: Record<string, string>, makeDefault = false): Promise<void> {
  const zip = await writeZip(
    path.join(bed.dataDir, `${applicationId}-${version}.zip`),
    Object.entries(files).map(([name, content]) => ({ name, content, mode: name.endsWith(".sh") ? 0o100755 : 0o100644 })),
  );
  await bed.batch.application.add(applicationId, version, zip, { makeDefault });
}

/** The host directory of a pool's first node's root. */
async function nodeRoot(poolId: string): Promise<string> {
  const [node] = await bed.batch.computeNode.list(poolId);
  return path.join(bed.dataDir, "nodes", poolId, node!.id);
}

describe("GET /applications", () => {
  it("lists the store's applications with their versions, gets one, and answers 404 ApplicationNotFound for another", async () => {
    expect(await client.application.list()).toHaveLength(0);
    await addPackage("blender", "2.7", { "blender.sh": "#!/bin/sh\n" });
    await addPackage("blender", "2.8", { "blender.sh": "#!/bin/sh\n" }, true);
    await addPackage("ffmpeg", "6", { "ffmpeg.sh": "#!/bin/sh\n" });
    const list = await client.application.list();
    expect(list.map((app) => ({ id: app.id, displayName: app.displayName, versions: app.versions }))).toEqual([
      { id: "blender", displayName: "blender", versions: ["2.7", "2.8"] },
      { id: "ffmpeg", displayName: "ffmpeg", versions: ["6"] },
    ]);
    const got = await client.application.get("BLENDER");
    expect(got.versions).toEqual(["2.7", "2.8"]);
    const missing = await restErrorOf(client.application.get("nope"));
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe("ApplicationNotFound");
  });

  it("pages with maxresults and odata.nextLink", async () => {
    for (const id of ["a", "b", "c"]) await addPackage(id, "1", { "x.txt": id });
    const batch = signedFetcher(bed.account);
    const first = await batch("/applications?maxresults=2");
    const body = first.json as { value: { id: string }[]; "odata.nextLink"?: string };
    expect(body.value.map((app) => app.id)).toEqual(["a", "b"]);
    expect(body["odata.nextLink"]).toBeDefined();
    const all = await client.application.list({ applicationListOptions: { maxResults: 2 } });
    expect(all.odatanextLink).toBeDefined();
    const next = await client.application.listNext(all.odatanextLink!);
    expect(next.map((app) => app.id)).toEqual(["c"]);
  });
});

describe("applicationPackageReferences on pools", () => {
  it("refuses a pool naming a package the account does not have, or no version without a default (409 InvalidApplicationPackageReferences)", async () => {
    await addPackage("tool", "1.0", { "run.sh": "#!/bin/sh\n" });
    const pool = { id: "p", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 };
    for (const reference of [{ applicationId: "missing" }, { applicationId: "tool", version: "9" }, { applicationId: "tool" }]) {
      const error = await restErrorOf(client.pool.add({ ...pool, applicationPackageReferences: [reference] }));
      expect(error.statusCode, JSON.stringify(reference)).toBe(409);
      expect(error.code).toBe("InvalidApplicationPackageReferences");
    }
    expect(await bed.batch.pool.exists("p")).toBe(false);
  });

  it("unpacks the pool's packages into applications/<id>#<version> on each node, before the start task, with the variables", async () => {
    await addPackage("tool", "1.0", { "run.sh": "#!/bin/sh\necho tool\n", "lib/data.txt": "data" });
    await addPackage("my-app", "2.0.1", { "app.txt": "app" }, true);
    await bed.addPool("p", {
      startTask: { commandLine: "cat /mnt/batch/tasks/applications/tool#1.0/lib/data.txt" },
      applicationPackageReferences: [{ applicationId: "tool", version: "1.0" }, { applicationId: "my-app" }],
    });
    const root = await nodeRoot("p");
    expect(await readFile(path.join(root, "applications/tool#1.0/lib/data.txt"), "utf8")).toBe("data");
    expect(await readFile(path.join(root, "applications/my-app#2.0.1/app.txt"), "utf8")).toBe("app");
    const [startTask] = bed.runtime.processes.filter((p) => p.env.AZ_BATCH_TASK_ID === undefined);
    expect(startTask?.env).toMatchObject({
      AZ_BATCH_APP_PACKAGE_tool_1_0: "/mnt/batch/tasks/applications/tool#1.0",
      AZ_BATCH_APP_PACKAGE_my_app_2_0_1: "/mnt/batch/tasks/applications/my-app#2.0.1",
      AZ_BATCH_APP_PACKAGE_my_app: "/mnt/batch/tasks/applications/my-app#2.0.1",
    });
    expect(startTask?.env).not.toHaveProperty("AZ_BATCH_APP_PACKAGE_tool");
    await bed.addJob("j", "p");
    await client.task.add("j", { id: "t", commandLine: "true" });
    await bed.taskIn("j", "t", "completed");
    expect(bed.runtime.processesOf("t")[0]?.env.AZ_BATCH_APP_PACKAGE_tool_1_0).toBe("/mnt/batch/tasks/applications/tool#1.0");
  });
});

describe("applicationPackageReferences on tasks", () => {
  it("installs the task's packages before it runs: the task reads their files through the variable", async () => {
    await addPackage("tool", "1.0", { "bin/hello.txt": "hello from the package\n" }, true);
    await bed.addPool("p");
    await bed.addJob("j", "p");
    await client.task.add("j", {
      id: "t",
      commandLine: "cat /mnt/batch/tasks/applications/tool#1.0/bin/hello.txt",
      applicationPackageReferences: [{ applicationId: "tool" }],
    });
    const task = await bed.taskIn("j", "t", "completed");
    expect(task.executionInfo.result).toBe("success");
    expect(task.applicationPackageReferences).toEqual([{ applicationId: "tool" }]);
    expect((await bed.batch.file.getFromTask("j", "t", "stdout.txt")).toString()).toBe("hello from the package\n");
    expect(bed.runtime.processesOf("t")[0]?.env).toMatchObject({
      AZ_BATCH_APP_PACKAGE_tool: "/mnt/batch/tasks/applications/tool#1.0",
      AZ_BATCH_APP_PACKAGE_tool_1_0: "/mnt/batch/tasks/applications/tool#1.0",
    });
  });

  it("fails a task whose package is missing with a user error, without running it", async () => {
    await bed.addPool("p");
    await bed.addJob("j", "p");
    await client.task.add("j", { id: "t", commandLine: "true", applicationPackageReferences: [{ applicationId: "ghost", version: "1" }] });
    const task = await bed.taskIn("j", "t", "completed");
    expect(task.executionInfo.result).toBe("failure");
    expect(task.executionInfo.failureInfo).toMatchObject({ category: "usererror", code: "ApplicationPackageError" });
    expect(task.executionInfo.failureInfo?.message).toContain("ghost");
    expect(bed.runtime.processesOf("t")).toHaveLength(0);
  });
});

describe("packages with the other kinds of task", () => {
  it("a multi-instance task's packages are on every node of the attempt; coordination and application commands see them", async () => {
    await addPackage("mpi-tool", "3", { "hosts.txt": "hosts" }, true);
    const coord = bed.runtime.hold("coord");
    const app = bed.runtime.hold("app");
    await bed.addPool("p", { targetDedicatedNodes: 2, enableInterNodeCommunication: true });
    await bed.addJob("j", "p");
    await client.task.add("j", {
      id: "mpi",
      commandLine: "app",
      applicationPackageReferences: [{ applicationId: "mpi-tool" }],
      multiInstanceSettings: { numberOfInstances: 2, coordinationCommandLine: "coord" },
    });
    await bed.waitFor(() => coord.running.length === 2, "two coordination commands");
    for (const run of coord.running) expect(run.env.AZ_BATCH_APP_PACKAGE_mpi_tool).toBe("/mnt/batch/tasks/applications/mpi-tool#3");
    for (const node of await bed.batch.computeNode.list("p")) {
      expect(await readFile(path.join(bed.dataDir, "nodes", "p", node.id, "applications/mpi-tool#3/hosts.txt"), "utf8")).toBe("hosts");
    }
    for (const run of [...coord.running]) run.finish(0);
    const primary = await app.started("mpi");
    expect(primary.env.AZ_BATCH_APP_PACKAGE_mpi_tool_3).toBe("/mnt/batch/tasks/applications/mpi-tool#3");
    primary.finish(0);
    expect((await bed.taskIn("j", "mpi", "completed")).executionInfo.result).toBe("success");
  });

  it("a job manager task's packages are installed before it runs, with their variables", async () => {
    await addPackage("planner", "2", { "plan.txt": "the plan\n" }, true);
    await bed.addPool("p");
    await client.job.add({
      id: "j",
      poolInfo: { poolId: "p" },
      jobManagerTask: {
        id: "manager",
        commandLine: "cat /mnt/batch/tasks/applications/planner#2/plan.txt",
        applicationPackageReferences: [{ applicationId: "planner", version: "2" }],
      },
    });
    const manager = await bed.taskIn("j", "manager", "completed");
    expect(manager.executionInfo).toMatchObject({ result: "success" });
    expect((await client.job.get("j")).jobManagerTask?.applicationPackageReferences).toEqual([{ applicationId: "planner", version: "2" }]);
    expect(bed.runtime.processesOf("manager")[0]?.env.AZ_BATCH_APP_PACKAGE_planner_2).toBe("/mnt/batch/tasks/applications/planner#2");
    expect((await bed.batch.file.getFromTask("j", "manager", "stdout.txt")).toString()).toBe("the plan\n");
  });

  it("the job preparation task sees the pool's packages", async () => {
    await addPackage("tool", "1.0", { "a.txt": "a" }, true);
    await bed.addPool("p", { applicationPackageReferences: [{ applicationId: "tool" }] });
    await bed.addJob("j", "p", { jobPreparationTask: { id: "prep", commandLine: "true" } });
    await client.task.add("j", { id: "t", commandLine: "true" });
    await bed.taskIn("j", "t", "completed");
    expect(bed.runtime.processesOf("prep")[0]?.env.AZ_BATCH_APP_PACKAGE_tool).toBe("/mnt/batch/tasks/applications/tool#1.0");
  });
});

describe("packages across a restart on the same data directory", () => {
  it("keeps the store and the pool's references; the restored node unpacks the package again before its start task", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-packages-restart-"));
    try {
      const zip = await writeZip(path.join(dataDir, "tool.zip"), [{ name: "v.txt", content: "one" }]);
      const first = await startOn(dataDir);
      await first.backend.batch.application.add("tool", "1", zip, { makeDefault: true });
      await first.backend.batch.pool.add({
        id: "p",
        vmSize: "standard_d2s_v3",
        targetDedicatedNodes: 1,
        startTask: { commandLine: "true" },
        applicationPackageReferences: [{ applicationId: "tool" }],
      });
      await waitFor(async () => (await first.backend.batch.computeNode.list("p"))[0]?.state === "idle", { what: "an idle node" });
      const [node] = await first.backend.batch.computeNode.list("p");
      const file = path.join(dataDir, "nodes", "p", node!.id, "applications/tool#1/v.txt");
      await first.backend.close();
      await writeFile(file, "changed by a task");
      const second = await startOn(dataDir);
      try {
        await waitFor(async () => (await second.backend.batch.computeNode.list("p"))[0]?.state === "idle", { what: "the node back" });
        expect(await second.backend.batch.application.list()).toEqual([{ id: "tool", displayName: "tool", versions: ["1"] }]);
        expect((await second.backend.batch.pool.get("p")).applicationPackageReferences).toEqual([{ applicationId: "tool" }]);
        expect(await readFile(file, "utf8")).toBe("one");
        expect(second.runtime.processes.find((p) => p.env.AZ_BATCH_TASK_ID === undefined)?.env.AZ_BATCH_APP_PACKAGE_tool).toBe(
          "/mnt/batch/tasks/applications/tool#1",
        );
      } finally {
        await second.backend.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
