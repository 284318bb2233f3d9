/**
 * `containerRunOptions` on a real engine, observed from inside the task's container: host
 * binds and mounts, `/dev/shm` size, cgroup memory and CPU limits, ulimits, tmpfs, and `--name`
 * unique on its node, and a blob container mounted on the pool (mountConfiguration) bound into a
 * task's container. Anonymous volumes go with their container.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerNodeRuntime } from "../../src/backends/local/docker/docker-node-runtime.js";
import { LABEL } from "../../src/backends/local/docker/labels.js";
import { ensureNodeImage } from "../../src/backends/local/docker/node-image.js";
import type { LocalBackend } from "../../src/backends/local/local-backend.js";
import type { CloudTask, TaskAddParameter } from "../../src/core/models/index.js";
import { uniqueId, waitUntil } from "../contract/wait-until.js";
import { startLocalBackend } from "./local-test-backend.js";

const bash = (script: string) => `/bin/bash -c '${script.replace(/'/g, `'\\''`)}'`;
const MiB = 1024 ** 2;

describe("containerRunOptions on a real engine", () => {
  let backend: LocalBackend;
  let image: string;
  let hostDir: string;
  const runtime = new DockerNodeRuntime();
  const poolId = uniqueId("ropool");
  const jobId = uniqueId("rojob");
  const mountedContainer = uniqueId("mounted").toLowerCase();

  async function run(task: TaskAddParameter): Promise<CloudTask> {
    await backend.batch.task.add(jobId, task);
    return waitUntil(
      () => backend.batch.task.get(jobId, task.id),
      (t) => t.state === "completed",
      { what: `task ${task.id}`, timeoutMs: 120_000 },
    );
  }
  const output = async (taskId: string, file = "stdout.txt") => (await backend.batch.file.getFromTask(jobId, taskId, file)).toString("utf8");

  beforeAll(async () => {
    backend = await startLocalBackend();
    image = await ensureNodeImage({ baseImage: process.env.MALACHITE_BASE_IMAGE || undefined });
    hostDir = await mkdtemp(path.join(os.tmpdir(), "malachite-run-options-"));
    await chmod(hostDir, 0o777);
    await writeFile(path.join(hostDir, "input.txt"), "from the host\n");
    await backend.storage.createContainer(mountedContainer);
    await backend.storage.uploadData(mountedContainer, "refs/genome.txt", "ACGT\n");
    await backend.batch.pool.add({
      id: poolId,
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 1,
      taskSlotsPerNode: 2,
      mountConfiguration: [
        {
          azureBlobFileSystemConfiguration: {
            accountName: backend.storage.accountName,
            containerName: mountedContainer,
            relativeMountPath: "refdata",
            sasKey: "sv=2022-11-02&sig=unused",
          },
        },
      ],
      virtualMachineConfiguration: {
        imageReference: {},
        nodeAgentSKUId: "batch.node.debian 12",
        containerConfiguration: { type: "dockerCompatible", containerImageNames: [image] },
      },
    });
    await waitUntil(
      () => backend.batch.computeNode.list(poolId),
      (nodes) => nodes.length === 1 && nodes[0]?.state === "idle",
      { what: "an idle node", timeoutMs: 120_000 },
    );
    await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
  });

  afterAll(async () => {
    await backend?.close();
    await rm(hostDir, { recursive: true, force: true });
    expect(await runtime.listManaged({ [LABEL.session]: backend.sessionId })).toEqual([]);
  });

  it("binds host paths with -v and --mount, read-write and read-only", async () => {
    const task = await run({
      id: "binds",
      commandLine: bash("cat /in/input.txt; echo written > /out/output.txt; echo x > /ro/denied.txt || echo refused; ls /shared-root"),
      containerSettings: {
        imageName: image,
        containerRunOptions: `-v ${hostDir}:/in:ro --volume=${hostDir}:/out --mount type=bind,source=${hostDir},target=/ro,readonly -v /mnt/batch/tasks/shared:/shared-root`,
      },
    });
    expect(task.executionInfo.result, await output("binds", "stderr.txt")).toBe("success");
    expect(await output("binds")).toBe("from the host\nrefused\n");
    expect(await readFile(path.join(hostDir, "output.txt"), "utf8")).toBe("written\n");
  });

  it("sizes /dev/shm and tmpfs, limits memory, CPUs and open files (cgroup v2 or v1)", async () => {
    const task = await run({
      id: "limits",
      commandLine: bash(
        "df -k --output=size /dev/shm | tail -1; df -k --output=size /fast | tail -1; cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes; " +
          "cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us); ulimit -n; ls /scratch && echo scratch",
      ),
      containerSettings: {
        imageName: image,
        containerRunOptions: "--shm-size 96m --tmpfs /fast:size=8m --memory 64m --cpus 0.5 --ulimit nofile=512:1024 -v /scratch",
      },
    });
    expect(task.executionInfo.result, await output("limits", "stderr.txt")).toBe("success");
    const lines = (await output("limits"))
      .trim()
      .split("\n")
      .map((line) => line.trim());
    expect(lines).toEqual([String((96 * MiB) / 1024), String((8 * MiB) / 1024), String(64 * MiB), "50000 100000", "512", "scratch"]);
    // The anonymous volume of -v /scratch went with its container.
    const volumes = await runtime.docker.listVolumes({ filters: { label: [`${LABEL.session}=${backend.sessionId}`] } });
    expect(volumes.Volumes ?? []).toEqual([]);
  });

  it("names the container with --name, unique on its node", async () => {
    const named = { imageName: image, containerRunOptions: "--name worker-1" };
    await backend.batch.task.add(jobId, { id: "named-a", commandLine: "sleep 30", containerSettings: named });
    const [container] = await waitUntil(
      () => runtime.listManaged({ [LABEL.session]: backend.sessionId, [LABEL.task]: `${jobId}/named-a` }),
      (list) => list.length === 1,
      { what: "the named container", timeoutMs: 60_000 },
    );
    expect(container?.name.replace(/^\//, "")).toMatch(/\.worker-1$/);
    const second = await run({ id: "named-b", commandLine: "true", containerSettings: named });
    expect(second.executionInfo.failureInfo).toMatchObject({ category: "usererror", code: "ContainerInvalidSettings" });
    expect(second.executionInfo.failureInfo?.details?.[0]?.value).toContain("already in use");
    await backend.batch.task.terminate(jobId, "named-a");
    await waitUntil(
      () => backend.batch.task.get(jobId, "named-a"),
      (t) => t.state === "completed",
      { what: "named-a" },
    );
    const third = await run({ id: "named-c", commandLine: "true", containerSettings: named });
    expect(third.executionInfo.result).toBe("success");
  });

  it("drops and grants capabilities and privileges", async () => {
    const dropped = await run({
      id: "no-chown",
      commandLine: bash("touch /tmp/f && chown 1:1 /tmp/f && echo chowned || echo refused"),
      containerSettings: { imageName: image, containerRunOptions: "-u 0 --cap-drop ALL" },
    });
    expect(dropped.executionInfo.result).toBe("success");
    expect(await output("no-chown")).toBe("refused\n");
    await run({ id: "unprivileged", commandLine: bash("test -e /dev/kmsg && echo host-devices || echo none"), containerSettings: { imageName: image } });
    expect(await output("unprivileged")).toBe("none\n");
    await run({
      id: "privileged",
      commandLine: bash("test -e /dev/kmsg && echo host-devices || echo none"),
      containerSettings: { imageName: image, containerRunOptions: "--privileged" },
    });
    expect(await output("privileged")).toBe("host-devices\n");
  });

  it("runs --gpus where the engine has a GPU runtime, and fails the task with the engine's reason where it has none", async () => {
    const task = await run({ id: "gpu", commandLine: "true", containerSettings: { imageName: image, containerRunOptions: "--gpus all" } });
    if (task.executionInfo.result === "success") return;
    expect(task.executionInfo.failureInfo).toMatchObject({ category: "usererror", code: "ContainerInvalidSettings" });
    expect(task.executionInfo.failureInfo?.details?.[0]?.value).toMatch(/device driver|gpu/i);
  });

  it("fails the task with the engine's reason when it refuses a value", async () => {
    const task = await run({ id: "too-little", commandLine: "true", containerSettings: { imageName: image, containerRunOptions: "--memory 1k" } });
    expect(task.executionInfo.failureInfo).toMatchObject({ category: "usererror", code: "ContainerInvalidSettings" });
    expect(task.executionInfo.failureInfo?.details?.[0]?.value).toMatch(/[Mm]inimum memory limit/);
  });

  it("binds a mounted blob container into a task's container with --mount, as cfa-cloudops does, and uploads what the task wrote", async () => {
    const made = await run({
      id: "mounted",
      // As the task user (1001): the mirror is open to every user, as blobfuse with allow_other.
      commandLine: bash("mkdir -p /refdata/out && echo aligned > /refdata/out/result.txt && cat /refdata/refs/genome.txt && id -u"),
      containerSettings: { imageName: image, containerRunOptions: "--mount type=bind,source=/mnt/batch/tasks/fsmounts/refdata,target=/refdata" },
    });
    expect(made.executionInfo.result, await output("mounted", "stderr.txt")).toBe("success");
    expect(await output("mounted")).toBe("ACGT\n1001\n");
    expect((await backend.storage.downloadToBuffer(mountedContainer, "out/result.txt")).toString("utf8")).toBe("aligned\n");
  });
});
