/**
 * What the local backend asks of the engine for container pools and container tasks, and the
 * service's failure codes, on the fake runtime. What the containers then do is Docker's part
 * (test/integration/local-container-tasks.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CloudTask, TaskAddParameter } from "../../../src/core/models/index.js";
import { TestBed } from "../../support/test-bed.js";

const IMAGE = "registry.malachite.test/worker:1";
const NODE_ROOT = "/mnt/batch/tasks";

let bed: TestBed;
let hostNodeRoot: string;

beforeAll(async () => {
  bed = await TestBed.start();
  bed.runtime.addImage(IMAGE, ["PATH=/opt/tool/bin:/usr/bin:/bin"]);
  bed.runtime.programs.set("tool", (run) => ({ stdout: `${run.argv.slice(1).join(",")}\n` }));
  const { nodes } = await bed.addPool("containers", {
    taskSlotsPerNode: 4,
    virtualMachineConfiguration: {
      imageReference: {},
      nodeAgentSKUId: "batch.node.ubuntu 22.04",
      containerConfiguration: { type: "dockerCompatible", containerImageNames: [IMAGE] },
    },
    startTask: { commandLine: "tool setup", containerSettings: { imageName: IMAGE }, waitForSuccess: true },
  });
  hostNodeRoot = bed.runtime.nodeStarts.find((spec) => spec.labels["malachite.node"] === nodes[0]?.id)?.hostNodeRootDir as string;
  await bed.addPool("plain");
  await bed.addJob("cj", "containers");
  await bed.addJob("pj", "plain");
});

afterAll(async () => {
  await bed?.close();
});

async function run(jobId: string, task: TaskAddParameter): Promise<CloudTask> {
  await bed.batch.task.add(jobId, task);
  return bed.taskIn(jobId, task.id, "completed");
}

describe("container tasks on the fake runtime", () => {
  it("runs the start task in a container of the pool's image", () => {
    const [start] = bed.runtime.processes.filter((p) => p.container?.labels["malachite.task"] === "startup");
    expect(start).toMatchObject({ kind: "container", argv: ["tool", "setup"], result: { exitCode: 0, killed: false } });
    expect(start?.container?.image).toBe(IMAGE);
  });

  it("runs a task in a new container: its command line, environment, working directory, user and the node root", async () => {
    const task = await run("cj", { id: "t", commandLine: "tool a 'b c'", containerSettings: { imageName: IMAGE } });
    expect(task.executionInfo).toMatchObject({ exitCode: 0, result: "success" });
    expect((await bed.batch.file.getFromTask("cj", "t", "stdout.txt")).toString()).toBe("a,b c\n");
    const [process] = bed.runtime.processesOf("t");
    const spec = process?.container;
    expect(spec).toMatchObject({
      image: IMAGE,
      entrypoint: ["tool", "a", "b c"],
      cmd: [],
      user: "1001:1001",
      workingDir: `${NODE_ROOT}/workitems/cj/job-1/t/wd`,
    });
    expect(spec?.labels).toMatchObject({ "malachite.pool": "containers", "malachite.task": "cj/t" });
    expect(spec?.binds).toEqual([`${hostNodeRoot}:${NODE_ROOT}`]);
    expect(spec?.env.PATH?.startsWith("/opt/tool/bin:/usr/bin:/bin:")).toBe(true);
    expect(await bed.runtime.listManaged({ "malachite.task": "cj/t" })).toEqual([]);
  });

  it("runs each retry in a fresh container", async () => {
    bed.runtime.programs.set("fails", () => ({ exitCode: 2 }));
    const task = await run("cj", { id: "retried", commandLine: "fails", containerSettings: { imageName: IMAGE }, constraints: { maxTaskRetryCount: 2 } });
    expect(task.executionInfo).toMatchObject({ exitCode: 2, retryCount: 2 });
    const names = bed.runtime.processesOf("retried").map((p) => p.containerId);
    expect(new Set(names).size).toBe(3);
  });

  it("fails tasks the service would fail, with its codes", async () => {
    const missing = await run("cj", { id: "missing-image", commandLine: "tool", containerSettings: { imageName: "not-here:1" } });
    expect(missing.executionInfo).toMatchObject({ result: "failure", retryCount: 0, failureInfo: { category: "usererror", code: "ContainerInvalidImage" } });
    expect(missing.executionInfo.exitCode).toBeUndefined();

    const publish = await run("cj", { id: "publish", commandLine: "tool", containerSettings: { imageName: IMAGE, containerRunOptions: "-p 8080:80" } });
    expect(publish.executionInfo.failureInfo).toMatchObject({ category: "usererror", code: "ContainerInvalidSettings" });
    expect(publish.executionInfo.failureInfo?.details?.[0]?.value).toContain("host networking");

    const noProgram = await run("cj", { id: "no-program", commandLine: "no-such-program", containerSettings: { imageName: IMAGE } });
    expect(noProgram.executionInfo).toMatchObject({ result: "failure", exitCode: 127, failureInfo: { code: "FailureExitCode" } });

    const plainOnContainerPool = await run("cj", { id: "plain", commandLine: "tool" });
    expect(plainOnContainerPool.executionInfo.failureInfo).toMatchObject({ category: "usererror", code: "ContainerTaskSettingsNotFound" });

    const containerOnPlainPool = await run("pj", { id: "container", commandLine: "tool", containerSettings: { imageName: IMAGE } });
    expect(containerOnPlainPool.executionInfo.failureInfo).toMatchObject({ category: "usererror", code: "ContainerPoolNotSupported" });

    const ran = bed.runtime.processes.map((p) => p.env.AZ_BATCH_TASK_ID);
    expect(ran.filter((id) => ["missing-image", "publish", "plain", "container"].includes(id as string))).toEqual([]);
  });

  it("kills a running container task when it is terminated", async () => {
    const held = bed.runtime.hold("serve");
    await bed.batch.task.add("cj", { id: "server", commandLine: "serve", containerSettings: { imageName: IMAGE } });
    const running = await held.started("server");
    expect(await bed.runtime.listManaged({ "malachite.task": "cj/server" })).toHaveLength(1);
    await bed.batch.task.terminate("cj", "server");
    const task = await bed.taskIn("cj", "server", "completed");
    expect(running.killed).toBe(true);
    expect(task.executionInfo.failureInfo?.code).toBe("TaskEnded");
    expect(await bed.runtime.listManaged({ "malachite.task": "cj/server" })).toEqual([]);
  });

  it("passes containerRunOptions to the engine: host binds, mounts, limits, capabilities", async () => {
    const options =
      "-v /mnt/batch/tasks/shared:/shared:ro -v /opt/refs:/refs --mount type=tmpfs,target=/scratch,tmpfs-size=1g --shm-size 2g --memory 512m --cpus 0.5 --ulimit nofile=4096 --cap-add SYS_PTRACE --privileged";
    const task = await run("cj", { id: "opts", commandLine: "tool", containerSettings: { imageName: IMAGE, containerRunOptions: options } });
    expect(task.executionInfo).toMatchObject({ result: "success" });
    const spec = bed.runtime.processesOf("opts")[0]?.container;
    expect(spec?.binds).toEqual([`${hostNodeRoot}:${NODE_ROOT}`, `${hostNodeRoot}/shared:/shared:ro`, "/opt/refs:/refs"]);
    expect(spec?.engine).toMatchObject({
      mounts: [{ type: "tmpfs", target: "/scratch", tmpfsSizeBytes: 1024 ** 3 }],
      shmSizeBytes: 2 * 1024 ** 3,
      memoryBytes: 512 * 1024 ** 2,
      nanoCpus: 500_000_000,
      ulimits: [{ name: "nofile", soft: 4096, hard: 4096 }],
      capAdd: ["CAP_SYS_PTRACE"],
      privileged: true,
    });
  });

  it("names a container by --name, unique on its node: a second one of that name fails as the engine refuses it", async () => {
    const held = bed.runtime.hold("serve-named");
    const named = { imageName: IMAGE, containerRunOptions: "--name worker" };
    await bed.batch.task.add("cj", { id: "named1", commandLine: "serve-named", containerSettings: named });
    const first = await held.started("named1");
    const [container] = await bed.runtime.listManaged({ "malachite.task": "cj/named1" });
    expect(container?.name).toMatch(/^malachite-.*-containers-.*\.worker$/);
    const second = await run("cj", { id: "named2", commandLine: "tool", containerSettings: named });
    expect(second.executionInfo.failureInfo).toMatchObject({
      code: "ContainerInvalidSettings",
      details: [{ name: "Message", value: expect.stringContaining("already in use") }],
    });
    first.finish({ exitCode: 0 });
    await bed.taskIn("cj", "named1", "completed");
    const third = await run("cj", { id: "named3", commandLine: "tool", containerSettings: named });
    expect(third.executionInfo.result).toBe("success");
  });
});
