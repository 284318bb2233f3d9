/**
 * Container pools and container tasks on the local backend, through the backend interface: the
 * same pool and task definitions as on Azure (containerConfiguration, containerSettings).
 * The node image, tagged under a registry name, stands in for a user's task image.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerNodeRuntime } from "../../src/backends/local/docker/docker-node-runtime.js";
import { LABEL } from "../../src/backends/local/docker/labels.js";
import { ensureNodeImage } from "../../src/backends/local/docker/node-image.js";
import type { LocalBackend } from "../../src/backends/local/local-backend.js";
import { BatchError } from "../../src/core/batch-error.js";
import type { CloudTask, TaskAddParameter } from "../../src/core/models/index.js";
import { uniqueId, waitUntil } from "../contract/wait-until.js";
import { startLocalBackend } from "./local-test-backend.js";

const REGISTRY = "registry.malachite.test";
// One tag per test process, so runs sharing an engine never untag each other's image.
const TASK_IMAGE_REPO = `${REGISTRY}/malachite-node`;
const TASK_IMAGE_TAG = `1-${process.pid}`;
const TASK_IMAGE = `${TASK_IMAGE_REPO}:${TASK_IMAGE_TAG}`;
const MISSING_IMAGE = `${REGISTRY}/not-here:1`;
const NODE_ROOT = "/mnt/batch/tasks";

const bash = (script: string) => `/bin/bash -c '${script.replace(/'/g, `'\\''`)}'`;
const PID1 = `tr "\\0" " " < /proc/1/cmdline`;

describe("local container tasks", () => {
  let backend: LocalBackend;
  const runtime = new DockerNodeRuntime();
  const poolId = uniqueId("cpool");
  const plainPoolId = uniqueId("ppool");
  const storageContainer = uniqueId("cdata").toLowerCase();
  let jobId: string;
  let plainJobId: string;

  const taskContainers = (labels: Record<string, string | undefined> = {}) =>
    runtime.listManaged({ [LABEL.session]: backend.sessionId, [LABEL.task]: undefined, ...labels });

  const settings = (extra: Record<string, unknown> = {}) =>
    ({ imageName: TASK_IMAGE, registry: { registryServer: REGISTRY, username: "u", password: "p" }, ...extra }) as TaskAddParameter["containerSettings"];

  async function run(job: string, task: TaskAddParameter): Promise<CloudTask> {
    await backend.batch.task.add(job, task);
    const done = await waitUntil(
      () => backend.batch.task.get(job, task.id),
      (t) => t.state === "completed",
      {
        what: `task ${task.id}`,
        timeoutMs: 120_000,
      },
    );
    // No task container outlives its task.
    expect(await taskContainers({ [LABEL.task]: `${job}/${task.id}` })).toEqual([]);
    return done;
  }

  const stdout = async (job: string, taskId: string) => (await backend.batch.file.getFromTask(job, taskId, "stdout.txt")).toString("utf8");
  const stderr = async (job: string, taskId: string) => (await backend.batch.file.getFromTask(job, taskId, "stderr.txt")).toString("utf8");

  beforeAll(async () => {
    backend = await startLocalBackend();
    const nodeImage = await ensureNodeImage({ baseImage: process.env.MALACHITE_BASE_IMAGE || undefined });
    await runtime.docker.getImage(nodeImage).tag({ repo: TASK_IMAGE_REPO, tag: TASK_IMAGE_TAG });
    await backend.storage.createContainer(storageContainer);
    await backend.storage.uploadData(storageContainer, "staged.txt", "staged by the start task\n");
    const stagedUrl = backend.storage.blobSasUrl(storageContainer, "staged.txt", "r", new Date(Date.now() + 3_600_000));
    await backend.batch.pool.add({
      id: poolId,
      vmSize: "standard_d2s_v3",
      virtualMachineConfiguration: {
        imageReference: { publisher: "microsoft-azure-batch", offer: "ubuntu-server-container", sku: "20-04-lts", version: "latest" },
        nodeAgentSKUId: "batch.node.ubuntu 20.04",
        containerConfiguration: {
          type: "dockerCompatible",
          containerImageNames: [TASK_IMAGE],
          containerRegistries: [{ registryServer: REGISTRY, username: "u", password: "p" }],
        },
      },
      targetDedicatedNodes: 1,
      taskSlotsPerNode: 4,
      startTask: {
        commandLine: bash(`cp staged.txt "$AZ_BATCH_NODE_SHARED_DIR/" && echo "start $(pwd) $(id -u)" && ${PID1}`),
        resourceFiles: [{ httpUrl: stagedUrl, filePath: "staged.txt" }],
        userIdentity: { autoUser: { scope: "pool", elevationLevel: "admin" } },
        containerSettings: settings({ containerRunOptions: "--rm" }),
        waitForSuccess: true,
      },
    });
    await backend.batch.pool.add({ id: plainPoolId, vmSize: "standard_a1", targetDedicatedNodes: 1 });
    await waitUntil(
      async () => [...(await backend.batch.computeNode.list(poolId)), ...(await backend.batch.computeNode.list(plainPoolId))],
      (nodes) => nodes.length === 2 && nodes.every((n) => n.state === "idle" || n.state === "starttaskfailed" || n.state === "unusable"),
      { what: "two nodes", timeoutMs: 120_000 },
    );
    jobId = uniqueId("cjob");
    plainJobId = uniqueId("pjob");
    await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
    await backend.batch.job.add({ id: plainJobId, poolInfo: { poolId: plainPoolId } });
  });

  afterAll(async () => {
    await backend?.close();
    try {
      expect(await runtime.listManaged({ [LABEL.session]: backend.sessionId })).toEqual([]);
    } finally {
      await runtime.docker
        .getImage(TASK_IMAGE)
        .remove({ noprune: true })
        .catch(() => undefined);
    }
  });

  it("pre-fetches the pool's images and runs the start task in a container of its own", async () => {
    const [node] = await backend.batch.computeNode.list(poolId);
    expect(node?.state).toBe("idle");
    expect(node?.errors ?? []).toEqual([]);
    expect(node?.startTaskInfo).toMatchObject({ state: "completed", exitCode: 0, result: "success" });
    const root = path.join(backend.dataDir, "nodes", poolId, node?.id as string);
    const out = readFileSync(path.join(root, "startup/stdout.txt"), "utf8").split("\n");
    expect(out[0]).toBe(`start ${NODE_ROOT}/startup/wd 0`);
    // PID 1 of the task's container is docker-init running the command line, not the node's `sleep infinity`.
    expect(out[1]).toMatch(/docker-init -- \/bin\/bash -c/);
    expect(out[1]).not.toContain("sleep infinity");
    expect(readFileSync(path.join(root, "shared/staged.txt"), "utf8")).toBe("staged by the start task\n");
  });

  it("keeps registries but never their passwords", async () => {
    const pool = await backend.batch.pool.get(poolId);
    expect(pool.virtualMachineConfiguration?.containerConfiguration).toEqual({
      type: "dockerCompatible",
      containerImageNames: [TASK_IMAGE],
      containerRegistries: [{ registryServer: REGISTRY, username: "u" }],
    });
    expect(pool.startTask?.containerSettings).toEqual({
      imageName: TASK_IMAGE,
      containerRunOptions: "--rm",
      registry: { registryServer: REGISTRY, username: "u" },
    });
    expect(JSON.stringify(pool)).not.toContain('"p"');
  });

  it("runs a task in a new container: node root, environment, working directory, task user, no shell", async () => {
    const task = await run(jobId, {
      id: "reader",
      commandLine: bash(
        `cat "$AZ_BATCH_NODE_SHARED_DIR/staged.txt"; echo "$AZ_BATCH_TASK_ID|$(pwd)|$(id -u):$(id -g)|$EXTRA|$AZ_BATCH_TASK_WORKING_DIR"; ${PID1}; echo oops >&2`,
      ),
      containerSettings: settings({ containerRunOptions: "--rm -e EXTRA=from-run-options" }),
    });
    expect(task.executionInfo).toMatchObject({ result: "success", exitCode: 0, retryCount: 0 });
    const wd = `${NODE_ROOT}/workitems/${jobId}/job-1/reader/wd`;
    const lines = (await stdout(jobId, "reader")).split("\n");
    expect(lines.slice(0, 2)).toEqual(["staged by the start task", `reader|${wd}|1001:1001|from-run-options|${wd}`]);
    expect(lines[2]).toMatch(/docker-init -- \/bin\/bash -c/);
    expect(await stderr(jobId, "reader")).toBe("oops\n");
    expect(task.containerSettings).toEqual({
      imageName: TASK_IMAGE,
      containerRunOptions: "--rm -e EXTRA=from-run-options",
      registry: { registryServer: REGISTRY, username: "u" },
    });
  });

  it("passes arguments literally and honours the working directory settings", async () => {
    const literal = await run(jobId, { id: "literal", commandLine: `printf "[%s]\\n" '$HOME' "a b" '*'`, containerSettings: settings() });
    expect(await stdout(jobId, "literal")).toBe("[$HOME]\n[a b]\n[*]\n");
    expect(literal.executionInfo.result).toBe("success");
    await run(jobId, { id: "imagewd", commandLine: "pwd", containerSettings: settings({ workingDirectory: "containerImageDefault" }) });
    expect(await stdout(jobId, "imagewd")).toBe("/\n");
    await run(jobId, { id: "workdir", commandLine: "pwd", containerSettings: settings({ containerRunOptions: "--workdir=/tmp -u 0" }) });
    expect(await stdout(jobId, "workdir")).toBe("/tmp\n");
    // With --entrypoint, the command line becomes the entrypoint's arguments (docker create --entrypoint).
    await run(jobId, { id: "entrypoint", commandLine: `"hello  world" '$X'`, containerSettings: settings({ containerRunOptions: "--entrypoint /bin/echo" }) });
    expect(await stdout(jobId, "entrypoint")).toBe("hello  world $X\n");
  });

  it("retries a failing container task, each attempt in a fresh container", async () => {
    const task = await run(jobId, {
      id: "exit3",
      commandLine: bash("echo attempt; exit 3"),
      constraints: { maxTaskRetryCount: 2 },
      containerSettings: settings(),
    });
    expect(task.executionInfo).toMatchObject({
      result: "failure",
      exitCode: 3,
      retryCount: 2,
      failureInfo: { category: "usererror", code: "FailureExitCode" },
    });
    expect(await stdout(jobId, "exit3")).toBe("attempt\n");
  });

  it("kills a container task past its maxWallClockTime and removes its container", async () => {
    await backend.batch.task.add(jobId, {
      id: "sleeper",
      commandLine: "sleep 120",
      constraints: { maxWallClockTime: "PT3S" },
      containerSettings: settings(),
    });
    const running = await waitUntil(
      () => taskContainers({ [LABEL.task]: `${jobId}/sleeper` }),
      (list) => list.length === 1,
      {
        what: "the sleeper's container",
        timeoutMs: 30_000,
      },
    );
    expect(running[0]?.labels).toMatchObject({ [LABEL.pool]: poolId, [LABEL.managed]: "true", [LABEL.ownerPid]: String(process.pid) });
    const started = Date.now();
    const task = await waitUntil(
      () => backend.batch.task.get(jobId, "sleeper"),
      (t) => t.state === "completed",
      { what: "the sleeper" },
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(task.executionInfo).toMatchObject({ result: "failure", exitCode: 137, failureInfo: { code: "MaxWallClockTimeExpiry" } });
    expect(await taskContainers({ [LABEL.task]: `${jobId}/sleeper` })).toEqual([]);
  });

  it("terminates a running container task", async () => {
    await backend.batch.task.add(jobId, { id: "terminated", commandLine: "sleep 120", containerSettings: settings() });
    await waitUntil(
      () => taskContainers({ [LABEL.task]: `${jobId}/terminated` }),
      (list) => list.length === 1,
      { what: "a running container" },
    );
    await backend.batch.task.terminate(jobId, "terminated");
    const task = await waitUntil(
      () => backend.batch.task.get(jobId, "terminated"),
      (t) => t.state === "completed",
      { what: "termination" },
    );
    expect(task.executionInfo.failureInfo?.code).toBe("TaskEnded");
    expect(await taskContainers({ [LABEL.task]: `${jobId}/terminated` })).toEqual([]);
  });

  it("reaches Azurite on the loopback address: host networking", async () => {
    const url = backend.storage.blobSasUrl(storageContainer, "from-container.txt", "cw", new Date(Date.now() + 3_600_000));
    const script =
      "fetch(process.argv[1], { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'uploaded from a container task' })" +
      ".then((r) => { console.log(r.status); process.exit(r.ok ? 0 : 1); }, (e) => { console.error(e); process.exit(2); })";
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    const task = await run(jobId, { id: "upload", commandLine: `node -e "${script}" '${url}'`, containerSettings: settings() });
    expect(task.executionInfo.result, await stderr(jobId, "upload")).toBe("success");
    expect(await stdout(jobId, "upload")).toBe("201\n");
    expect((await backend.storage.downloadToBuffer(storageContainer, "from-container.txt")).toString("utf8")).toBe("uploaded from a container task");
  });

  it("fails tasks the service would fail, with its codes", async () => {
    const missing = await run(jobId, { id: "missing-image", commandLine: "true", containerSettings: { imageName: MISSING_IMAGE } });
    expect(missing.executionInfo).toMatchObject({ result: "failure", retryCount: 0, failureInfo: { category: "usererror", code: "ContainerInvalidImage" } });
    expect(missing.executionInfo.failureInfo?.message).toContain(MISSING_IMAGE);
    expect(missing.executionInfo.exitCode).toBeUndefined();

    const publish = await run(jobId, { id: "publish", commandLine: "true", containerSettings: settings({ containerRunOptions: "--rm -p 8080:80" }) });
    expect(publish.executionInfo.failureInfo).toMatchObject({ category: "usererror", code: "ContainerInvalidSettings" });
    expect(publish.executionInfo.failureInfo?.details?.[0]?.value).toContain('"-p" is not supported');

    const badUser = await run(jobId, { id: "bad-user", commandLine: "true", containerSettings: settings({ containerRunOptions: "--user nosuchuser" }) });
    expect(badUser.executionInfo.failureInfo).toMatchObject({ code: "ContainerInvalidSettings" });
    expect(badUser.executionInfo.failureInfo?.details?.[0]?.value).toContain("nosuchuser");

    const noProgram = await run(jobId, { id: "no-program", commandLine: "no-such-program --flag", containerSettings: settings() });
    expect(noProgram.executionInfo).toMatchObject({ result: "failure", exitCode: 127, failureInfo: { code: "FailureExitCode" } });
    expect(await stderr(jobId, "no-program")).toContain("no-such-program");

    const plainOnContainerPool = await run(jobId, { id: "plain", commandLine: "true" });
    expect(plainOnContainerPool.executionInfo.failureInfo).toMatchObject({ category: "usererror", code: "ContainerTaskSettingsNotFound" });

    const containerOnPlainPool = await run(plainJobId, { id: "container", commandLine: "true", containerSettings: settings() });
    expect(containerOnPlainPool.executionInfo.failureInfo).toMatchObject({ category: "usererror", code: "ContainerPoolNotSupported" });
  });

  it("refuses malformed container settings when they are added", async () => {
    const error = await backend.batch.task.add(jobId, { id: "no-image", commandLine: "true", containerSettings: {} as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchError);
    expect([(error as BatchError).code, (error as BatchError).values?.[0]?.value]).toEqual(["MissingRequiredProperty", "containerSettings.imageName"]);
    const badType = await backend.batch.pool
      .add({
        id: uniqueId("badpool"),
        vmSize: "standard_a1",
        virtualMachineConfiguration: {
          imageReference: {},
          nodeAgentSKUId: "batch.node.ubuntu 20.04",
          containerConfiguration: { type: "podman" as never },
        },
      })
      .catch((e: unknown) => e);
    expect((badType as BatchError).code).toBe("InvalidPropertyValue");
  });

  it("makes a node unusable when a pool's image is not on the engine", async () => {
    const badPoolId = uniqueId("badimg");
    await backend.batch.pool.add({
      id: badPoolId,
      vmSize: "standard_a1",
      virtualMachineConfiguration: {
        imageReference: {},
        nodeAgentSKUId: "batch.node.ubuntu 20.04",
        containerConfiguration: { type: "docker" as never, containerImageNames: [TASK_IMAGE, MISSING_IMAGE] },
      },
      targetDedicatedNodes: 1,
      startTask: { commandLine: "true", containerSettings: settings() },
    });
    const [node] = await waitUntil(
      () => backend.batch.computeNode.list(badPoolId),
      (nodes) => nodes[0]?.state === "unusable",
      {
        what: "an unusable node",
      },
    );
    expect(node?.errors).toEqual([
      {
        code: "ContainerInvalidImage",
        message: expect.stringContaining(MISSING_IMAGE),
        errorDetails: [
          { name: "ContainerImage", value: MISSING_IMAGE },
          { name: "Message", value: expect.stringContaining("never pulls") },
        ],
      },
    ]);
    expect(node?.startTaskInfo).toBeUndefined();
    await backend.batch.pool.delete(badPoolId);
    await waitUntil(
      () => backend.batch.pool.exists(badPoolId),
      (exists) => !exists,
      { what: "the pool to go" },
    );
    expect(await runtime.listManaged({ [LABEL.session]: backend.sessionId, [LABEL.pool]: badPoolId })).toEqual([]);
  });

  it("measures the overhead of a container task against a plain one", async () => {
    const durations = async (job: string, prefix: string, container: boolean) => {
      const ms: number[] = [];
      for (let i = 0; i < 5; i++) {
        const task = await run(job, { id: `${prefix}${i}`, commandLine: "true", ...(container ? { containerSettings: settings() } : {}) });
        expect(task.executionInfo.result).toBe("success");
        ms.push(Date.parse(task.executionInfo.endTime as string) - Date.parse(task.executionInfo.startTime as string));
      }
      return ms.reduce((a, b) => a + b, 0) / ms.length;
    };
    const plain = await durations(plainJobId, "plain", false);
    const container = await durations(jobId, "ctr", true);
    console.log(`mean task time of "true": plain ${plain.toFixed(0)} ms, in a container ${container.toFixed(0)} ms (+${(container - plain).toFixed(0)} ms)`);
    expect(container).toBeLessThan(10_000);
  });
});
