import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMalachite, type RunningMalachite } from "../../../src/start-malachite.js";
import { SharedKeyBlobStorage } from "../../../src/storage/shared-key-blob-storage.js";
import { uniqueId, waitUntil } from "../../contract/wait-until.js";
import { writeZip } from "../../support/zip-file.js";

/**
 * Conformance: Debian's azure-cli 2.45 (`az batch ...`, azure-batch 13, api-version
 * 2022-10-01.16.0) drives a tutorial-shaped workflow against Malachite, authenticated with the
 * account key (no AAD login, no ARM). az takes about a second per call, so the calls are few.
 */

const AZ = "/usr/bin/az";
const IN_CI = ["true", "1"].includes((process.env.CI ?? "").toLowerCase());

function missingClient(): string | undefined {
  if (!existsSync(AZ)) return `${AZ} is not installed; install azure-cli`;
  const probe = spawnSync("/usr/bin/python3", ["-c", "import azure.cli.command_modules.batch, azure.batch"], { encoding: "utf8", timeout: 60_000 });
  if (probe.error || probe.status !== 0)
    return `azure-cli's batch module cannot be imported; install azure-cli (${probe.error?.message ?? probe.stderr.trim().split("\n").pop()})`;
  return undefined;
}

const missing = missingClient();
if (missing && !IN_CI) console.warn(`az-cli.test.ts skipped: ${missing}`);

interface AzRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (`-o json`), undefined when empty. */
  json: unknown;
}

describe.skipIf(missing !== undefined && !IN_CI)(`az batch (azure-cli 2.45) against Malachite${missing ? ` [${missing}]` : ""}`, () => {
  let malachite: RunningMalachite | undefined;
  let configDir = "";
  let workDir = "";
  let wordsUrl = "";
  const poolId = uniqueId("az-pool");
  const jobId = uniqueId("az-job");
  let nodeId = "";

  /** The environment of every az call: a private config dir, telemetry off, loopback only. */
  function azEnv(credentials: "env" | "none", overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (/^(PYTHON|PYENV|VIRTUAL_ENV$|AZURE_)|proxy$/i.test(name)) continue;
      env[name] = value;
    }
    // Any request that is not for 127.0.0.1 goes to a closed local port instead of the internet.
    const deadProxy = "http://127.0.0.1:9";
    Object.assign(env, {
      HTTP_PROXY: deadProxy,
      HTTPS_PROXY: deadProxy,
      http_proxy: deadProxy,
      https_proxy: deadProxy,
      NO_PROXY: "127.0.0.1,localhost",
      no_proxy: "127.0.0.1,localhost",
      AZURE_CONFIG_DIR: configDir,
      AZURE_CORE_COLLECT_TELEMETRY: "false",
      AZURE_CORE_NO_COLOR: "true",
      AZURE_CORE_ONLY_SHOW_ERRORS: "true",
      PYTHONDONTWRITEBYTECODE: "1",
    });
    if (credentials === "env") {
      Object.assign(env, {
        AZURE_BATCH_ACCOUNT: malachite!.batchAccountName,
        AZURE_BATCH_ACCESS_KEY: malachite!.batchAccountKey,
        AZURE_BATCH_ENDPOINT: malachite!.batchUrl,
      });
    }
    return { ...env, ...overrides };
  }

  function az(args: string[], env: NodeJS.ProcessEnv = azEnv("env")): Promise<AzRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(AZ, [...args, "-o", "json"], { env, cwd: workDir, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        let json: unknown;
        try {
          json = stdout.trim() === "" ? undefined : JSON.parse(stdout);
        } catch {
          json = undefined;
        }
        resolve({ code, stdout, stderr, json });
      });
    });
  }

  /** Runs az and expects exit code 0; returns the JSON it printed. */
  async function azOk<T = unknown>(args: string[], env?: NodeJS.ProcessEnv): Promise<T> {
    const run = await az(args, env);
    if (run.code !== 0) throw new Error(`az ${args.join(" ")} exited ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
    return run.json as T;
  }

  beforeAll(async () => {
    if (missing) throw new Error(`CI=${process.env.CI}: azure-cli must be installed (.ci/run installs it): ${missing}`);
    workDir = mkdtempSync(path.join(os.tmpdir(), "malachite-az-"));
    configDir = path.join(workDir, "azure-config");
    // Seed az's version cache: on its first run in a fresh config dir az otherwise checks
    // https://azure.microsoft.com and GitHub for a newer release (the dead proxy would refuse it).
    const versions = spawnSync(
      "/usr/bin/python3",
      ["-c", "from azure.cli.core import __version__ as c; from azure.cli.telemetry import __version__ as t; print(c, t)"],
      {
        encoding: "utf8",
      },
    )
      .stdout.trim()
      .split(" ");
    const [core = "", telemetry = ""] = versions;
    const now = new Date();
    const pad = (n: number, width = 2) => String(n).padStart(width, "0");
    const updateTime = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.000000`;
    mkdirSync(configDir);
    writeFileSync(
      path.join(configDir, "versionCheck.json"),
      JSON.stringify({ versions: { "azure-cli": { local: core }, core: { local: core }, telemetry: { local: telemetry } }, update_time: updateTime }),
    );

    malachite = await startMalachite({ batchPort: 0, blobPort: 0 });
    const storage = SharedKeyBlobStorage.fromConnectionString(malachite.storageConnectionString);
    await storage.createContainer("input");
    await storage.uploadData("input", "words.txt", "one two three four five\n");
    wordsUrl = storage.blobSasUrl("input", "words.txt", "r", new Date(Date.now() + 2 * 3600_000));
  });

  afterAll(async () => {
    await malachite?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it("creates a pool whose start task stages a resource file, shows and lists it, and brings up its node", async () => {
    const created = await az([
      "batch",
      "pool",
      "create",
      "--id",
      poolId,
      "--vm-size",
      "standard_a1",
      "--target-dedicated-nodes",
      "1",
      "--image",
      "canonical:0001-com-ubuntu-server-focal:20_04-lts",
      "--node-agent-sku-id",
      "batch.node.ubuntu 20.04",
      "--start-task-command-line",
      "/bin/bash -c 'cp words.txt $AZ_BATCH_NODE_SHARED_DIR/'",
      "--start-task-resource-files",
      `words.txt=${wordsUrl}`,
      "--start-task-wait-for-success",
    ]);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);

    const pool = await azOk<Record<string, unknown>>(["batch", "pool", "show", "--pool-id", poolId]);
    expect(pool).toMatchObject({
      id: poolId,
      vmSize: "standard_a1",
      targetDedicatedNodes: 1,
      state: "active",
      virtualMachineConfiguration: {
        imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-focal", sku: "20_04-lts" },
        nodeAgentSkuId: "batch.node.ubuntu 20.04",
      },
      startTask: {
        commandLine: "/bin/bash -c 'cp words.txt $AZ_BATCH_NODE_SHARED_DIR/'",
        resourceFiles: [{ filePath: "words.txt", httpUrl: wordsUrl }],
        waitForSuccess: true,
      },
    });

    const pools = await azOk<{ id: string }[]>(["batch", "pool", "list", "--query", "[].id"]);
    expect(pools).toContain(poolId);

    type Node = { id: string; state: string; startTaskInfo?: { state: string; exitCode: number } };
    const nodes = await waitUntil(
      () => azOk<Node[]>(["batch", "node", "list", "--pool-id", poolId]),
      (list) => list.length === 1 && list[0]!.state !== "creating" && list[0]!.state !== "starting" && list[0]!.state !== "waitingforstarttask",
      { timeoutMs: 90_000, intervalMs: 1000, what: "the pool's node to come up" },
    );
    expect(nodes[0]).toMatchObject({ state: "idle", startTaskInfo: { state: "completed", exitCode: 0 } });
    nodeId = nodes[0]!.id;
  });

  it("updates the pool with az batch pool set, lists the applications and the usage metrics", async () => {
    const zip = await writeZip(path.join(workDir, "az-tool.zip"), [{ name: "bin/tool.sh", content: "#!/bin/sh\necho tool\n", mode: 0o100755 }]);
    await malachite!.addApplicationPackage("az-tool", "1.0", zip, { makeDefault: true });
    const set = await az(["batch", "pool", "set", "--pool-id", poolId, "--metadata", "team=az", "--application-package-references", "az-tool#1.0"]);
    expect(set.stderr).toBe("");
    expect(set.code).toBe(0);
    const pool = await azOk<Record<string, unknown>>(["batch", "pool", "show", "--pool-id", poolId]);
    expect(pool).toMatchObject({
      metadata: [{ name: "team", value: "az" }],
      applicationPackageReferences: [{ applicationId: "az-tool", version: "1.0" }],
      startTask: { commandLine: "/bin/bash -c 'cp words.txt $AZ_BATCH_NODE_SHARED_DIR/'" },
    });

    const applications = await azOk<unknown[]>(["batch", "application", "summary", "list"]);
    expect(applications).toEqual([{ id: "az-tool", displayName: "az-tool", versions: ["1.0"] }]);
    const application = await azOk<Record<string, unknown>>(["batch", "application", "summary", "show", "--application-id", "az-tool"]);
    expect(application).toMatchObject({ id: "az-tool", versions: ["1.0"] });
    const missingApplication = await az(["batch", "application", "summary", "show", "--application-id", "nope"]);
    expect(missingApplication.code).not.toBe(0);
    expect(missingApplication.stderr).toContain("The specified application does not exist. (nope)");

    const refused = await az(["batch", "pool", "set", "--pool-id", poolId, "--application-package-references", "missing#1"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("One or more of the specified application package references are invalid.");

    const metrics = await azOk<unknown[]>(["batch", "pool", "usage-metrics", "list"]);
    expect(Array.isArray(metrics)).toBe(true);
  });

  it("creates a job and tasks (one by one and from a --json-file collection), monitors them and reads their files", async () => {
    expect(nodeId).not.toBe("");
    await azOk(["batch", "job", "create", "--id", jobId, "--pool-id", poolId]);

    const single = await azOk<Record<string, unknown>>([
      "batch",
      "task",
      "create",
      "--job-id",
      jobId,
      "--task-id",
      "count",
      "--command-line",
      "/bin/bash -c 'echo \"$(wc -w < words.txt) words, shared copy: $(cat $AZ_BATCH_NODE_SHARED_DIR/words.txt)\"'",
      "--resource-files",
      `words.txt=${wordsUrl}`,
    ]);
    expect(single).toMatchObject({ id: "count", resourceFiles: [{ filePath: "words.txt", httpUrl: wordsUrl }] });

    const collectionFile = path.join(workDir, "tasks.json");
    writeFileSync(
      collectionFile,
      JSON.stringify([
        { id: "echo", commandLine: "/bin/bash -c 'echo \"$AZ_BATCH_TASK_ID on $AZ_BATCH_NODE_ID\"'" },
        { id: "fail", commandLine: "/bin/bash -c 'echo broken >&2; exit 4'", resourceFiles: [{ httpUrl: wordsUrl, filePath: "in/words.txt" }] },
      ]),
    );
    const added = await azOk<{ taskId: string; status: string }[]>(["batch", "task", "create", "--job-id", jobId, "--json-file", collectionFile]);
    expect(added.map((r) => [r.taskId, r.status]).sort()).toEqual([
      ["echo", "success"],
      ["fail", "success"],
    ]);

    type Task = { id: string; state: string; exitCode: number | null };
    const tasks = await waitUntil(
      () => azOk<Task[]>(["batch", "task", "list", "--job-id", jobId, "--query", "[].{id:id,state:state,exitCode:executionInfo.exitCode}"]),
      (list) => list.length === 3 && list.every((task) => task.state === "completed"),
      { timeoutMs: 120_000, intervalMs: 1000, what: "the tasks to complete" },
    );
    expect(tasks.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: "count", state: "completed", exitCode: 0 },
      { id: "echo", state: "completed", exitCode: 0 },
      { id: "fail", state: "completed", exitCode: 4 },
    ]);

    const failed = await azOk<Record<string, unknown>>(["batch", "task", "show", "--job-id", jobId, "--task-id", "fail"]);
    expect(failed).toMatchObject({
      id: "fail",
      state: "completed",
      executionInfo: { exitCode: 4, result: "failure", failureInfo: { category: "usererror", code: "FailureExitCode" } },
      nodeInfo: { poolId, nodeId },
    });

    const files = await azOk<string[]>([
      "batch",
      "task",
      "file",
      "list",
      "--job-id",
      jobId,
      "--task-id",
      "fail",
      "--recursive",
      "true",
      "--query",
      "[?!isDirectory].name",
    ]);
    expect(files).toEqual(expect.arrayContaining(["stdout.txt", "stderr.txt", "wd/in/words.txt"]));

    const destination = path.join(workDir, "count-stdout.txt");
    await azOk(["batch", "task", "file", "download", "--job-id", jobId, "--task-id", "count", "--file-path", "stdout.txt", "--destination", destination]);
    expect(readFileSync(destination, "utf8")).toBe("5 words, shared copy: one two three four five\n");

    const counts = await azOk<Record<string, unknown>>(["batch", "job", "task-counts", "show", "--job-id", jobId]);
    expect(counts.taskCounts).toEqual({ active: 0, running: 0, completed: 3, succeeded: 2, failed: 1 });

    const nodes = await azOk<Record<string, unknown>[]>(["batch", "node", "list", "--pool-id", poolId]);
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ id: nodeId, state: "idle", totalTasksRun: 3, totalTasksSucceeded: 2 });
  });

  it("takes the account from --account-name/--account-key/--account-endpoint, and reports a wrong key and a missing job clearly", async () => {
    const m = malachite!;
    const flags = ["--account-name", m.batchAccountName, "--account-key", m.batchAccountKey, "--account-endpoint", m.batchUrl];
    const pool = await azOk<Record<string, unknown>>(["batch", "pool", "show", "--pool-id", poolId, ...flags], azEnv("none"));
    expect(pool.id).toBe(poolId);

    const wrongKey = Buffer.from("not the account key").toString("base64");
    const wrongKeyEnv = azEnv("env", { AZURE_BATCH_ACCESS_KEY: wrongKey });
    const denied = await az(["batch", "job", "show", "--job-id", jobId], wrongKeyEnv);
    expect(denied.code).toBe(1);
    expect(denied.stdout).toBe("");
    expect(denied.stderr).toMatch(
      /^ERROR: Server failed to authenticate the request\. Make sure the value of Authorization header is formed correctly including the signature\.$/m,
    );
    expect(denied.stderr).toMatch(/^AuthenticationErrorDetail: The MAC signature found in the HTTP request is not the same as any computed signature\./m);
    // az prints the message, not the code; --debug shows the 403 and the code the SDK parsed.
    const deniedDebug = await az(["batch", "job", "show", "--job-id", jobId, "--debug"], wrongKeyEnv);
    expect(deniedDebug.code).toBe(1);
    expect(deniedDebug.stderr).toMatch(/"GET \/jobs\/[^ ]+ HTTP\/1\.1" 403 /);
    expect(deniedDebug.stderr).toMatch(/^Code: AuthenticationFailed$/m);
    expect(deniedDebug.stderr).not.toContain(m.batchAccountKey);

    const notFound = await az(["batch", "job", "show", "--job-id", `${jobId}-missing`]);
    expect(notFound.code).toBe(1);
    expect(notFound.stderr).toMatch(/^ERROR: The specified job does not exist\./m);
  });

  it("reboots and reimages the node, disables and enables its scheduling, shows its remote login settings and uploads its service logs", async () => {
    expect(nodeId).not.toBe("");
    const node = (args: string[]) => ["batch", "node", ...args, "--pool-id", poolId, "--node-id", nodeId];
    type Node = { state: string; schedulingState: string; lastBootTime: string; startTaskInfo?: { result?: string } };
    const before = await azOk<Node>(node(["show"]));
    const backUp = (after: string) =>
      waitUntil(
        () => azOk<Node>(node(["show"])),
        (shown) => shown.state === "idle" && shown.lastBootTime !== after,
        { timeoutMs: 90_000, intervalMs: 1000, what: "the node to be back up" },
      );

    await azOk(node(["reboot", "--node-reboot-option", "requeue"]));
    const rebooted = await backUp(before.lastBootTime);
    expect(rebooted.startTaskInfo?.result).toBe("success");
    await azOk(node(["reimage", "--node-reimage-option", "terminate"]));
    await backUp(rebooted.lastBootTime);

    await azOk(node(["scheduling", "disable", "--node-disable-scheduling-option", "taskcompletion"]));
    expect(await azOk<Node>(node(["show"]))).toMatchObject({ state: "offline", schedulingState: "disabled" });
    await azOk(node(["scheduling", "enable"]));
    expect(await azOk<Node>(node(["show"]))).toMatchObject({ state: "idle", schedulingState: "enabled" });

    const login = await azOk<Record<string, unknown>>(node(["remote-login-settings", "show"]));
    expect(login).toEqual({ remoteLoginIpAddress: "127.0.0.1", remoteLoginPort: 22 });

    const storage = SharedKeyBlobStorage.fromConnectionString(malachite!.storageConnectionString);
    await storage.createContainer("node-logs");
    const containerUrl = storage.containerSasUrl("node-logs", "w", new Date(Date.now() + 3600_000));
    const uploaded = await azOk<{ virtualDirectoryName: string; numberOfFilesUploaded: number }>(
      node(["service-logs", "upload", "--container-url", containerUrl, "--start-time", "2000-01-01T00:00:00Z"]),
    );
    expect(uploaded.numberOfFilesUploaded).toBeGreaterThanOrEqual(1);
    const blobs = (await storage.listBlobs("node-logs", uploaded.virtualDirectoryName)).map((blob) => blob.name);
    expect(blobs).toContain(`${uploaded.virtualDirectoryName}/malachite-agent.log`);
  });

  it("resizes with a Spot node, stops a resize with --abort, and removes a node with az batch node delete", async () => {
    type Pool = {
      allocationState: string;
      targetDedicatedNodes: number;
      targetLowPriorityNodes: number;
      currentLowPriorityNodes: number;
      resizeErrors?: { code: string }[];
    };
    type Node = { id: string; state: string; isDedicated: boolean };
    const steady = (done: (pool: Pool) => boolean, what: string) =>
      waitUntil(
        () => azOk<Pool>(["batch", "pool", "show", "--pool-id", poolId]),
        (pool) => pool.allocationState === "steady" && done(pool),
        { timeoutMs: 90_000, intervalMs: 1000, what },
      );
    await azOk(["batch", "pool", "resize", "--pool-id", poolId, "--target-dedicated-nodes", "1", "--target-low-priority-nodes", "1"]);
    await steady((pool) => pool.currentLowPriorityNodes === 1, "the Spot node to be allocated");
    const nodes = await waitUntil(
      () => azOk<Node[]>(["batch", "node", "list", "--pool-id", poolId]),
      (list) => list.length === 2 && list.every((node) => node.state === "idle"),
      { timeoutMs: 90_000, intervalMs: 1000, what: "both nodes to be idle" },
    );
    const spot = nodes.find((node) => !node.isDedicated) as Node;

    // --abort stops the resize (Pool_StopResize): steady at the nodes the pool had when it stopped.
    await azOk(["batch", "pool", "resize", "--pool-id", poolId, "--target-dedicated-nodes", "2"]);
    const aborted = await az(["batch", "pool", "resize", "--pool-id", poolId, "--abort"]);
    expect([aborted.code, aborted.stderr]).toEqual([0, ""]);
    const stopped = await steady(() => true, "the stopped resize to settle");
    expect([1, 2]).toContain(stopped.targetDedicatedNodes);
    if (stopped.targetDedicatedNodes === 1) expect(stopped.resizeErrors?.[0]?.code).toBe("ResizeStopped");

    // az batch node delete is Pool_RemoveNodes: the Spot node leaves and its target drops.
    await azOk(["batch", "node", "delete", "--pool-id", poolId, "--node-list", spot.id, "--node-deallocation-option", "requeue"]);
    const after = await steady((pool) => pool.currentLowPriorityNodes === 0, "the Spot node to be removed");
    expect(after.targetLowPriorityNodes).toBe(0);
    const left = await azOk<Node[]>(["batch", "node", "list", "--pool-id", poolId]);
    expect(left.map((node) => node.id)).not.toContain(spot.id);
    const unknown = await az(["batch", "node", "delete", "--pool-id", poolId, "--node-list", "tvm-missing"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^ERROR: The specified node does not exist\./m);
  });

  it("creates, resets and deletes a node user (az batch node user); a task runs as it; a taken or unknown name is refused", async () => {
    expect(nodeId).not.toBe("");
    const node = ["--pool-id", poolId, "--node-id", nodeId];
    const created = await az(["batch", "node", "user", "create", ...node, "--name", "azops", "--password", "Az-Pass-1", "--is-admin"]);
    expect([created.code, created.stderr]).toEqual([0, ""]);
    const taken = await az(["batch", "node", "user", "create", ...node, "--name", "azops"]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/^ERROR: The specified node user already exists\./m);

    const taskFile = path.join(workDir, "as-azops.json");
    writeFileSync(taskFile, JSON.stringify({ id: "as-azops", commandLine: "/bin/bash -c 'id -un; id -nG'", userIdentity: { username: "azops" } }));
    await azOk(["batch", "task", "create", "--job-id", jobId, "--json-file", taskFile]);
    await waitUntil(
      () => azOk<string>(["batch", "task", "show", "--job-id", jobId, "--task-id", "as-azops", "--query", "state"]),
      (state) => state === "completed",
      { timeoutMs: 60_000, intervalMs: 1000, what: "the task as azops" },
    );
    const stdout = path.join(workDir, "as-azops.txt");
    await azOk(["batch", "task", "file", "download", "--job-id", jobId, "--task-id", "as-azops", "--file-path", "stdout.txt", "--destination", stdout]);
    const [name, groups] = readFileSync(stdout, "utf8").trim().split("\n");
    expect(name).toBe("azops");
    expect(groups?.split(" ")).toContain("sudo");

    const reset = await az(["batch", "node", "user", "reset", ...node, "--user-name", "azops", "--password", "Az-Pass-2"]);
    expect([reset.code, reset.stderr]).toEqual([0, ""]);
    await azOk(["batch", "node", "user", "delete", ...node, "--user-name", "azops", "--yes"]);
    const unknown = await az(["batch", "node", "user", "reset", ...node, "--user-name", "azops", "--password", "x"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^ERROR: The specified node user does not exist\./m);
  });

  it("enables, evaluates and disables autoscale (az batch pool autoscale) on a pool without nodes", async () => {
    const scaled = uniqueId("az-autoscale");
    const image = ["--image", "canonical:0001-com-ubuntu-server-jammy:22_04-lts", "--node-agent-sku-id", "batch.node.ubuntu 22.04"];
    await azOk(["batch", "pool", "create", "--id", scaled, "--vm-size", "standard_d2s_v3", "--target-dedicated-nodes", "0", ...image]);
    const formula = "$TargetDedicatedNodes = min(2, $PendingTasks.GetSample(1)); $NodeDeallocationOption = taskcompletion;";
    await azOk(["batch", "pool", "autoscale", "enable", "--pool-id", scaled, "--auto-scale-formula", formula, "--auto-scale-evaluation-interval", "PT10M"]);
    const enabled = await azOk<Record<string, unknown>>(["batch", "pool", "show", "--pool-id", scaled]);
    expect(enabled).toMatchObject({ enableAutoScale: true, autoScaleFormula: formula, autoScaleEvaluationInterval: "0:10:00" });
    expect(enabled.autoScaleRun).toMatchObject({ results: "$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion" });

    const run = await azOk<Record<string, unknown>>([
      "batch",
      "pool",
      "autoscale",
      "evaluate",
      "--pool-id",
      scaled,
      "--auto-scale-formula",
      "$TargetDedicatedNodes = 4",
    ]);
    expect(run).toMatchObject({ results: "$TargetDedicatedNodes=4;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue", error: null });
    const bad = await azOk<{ error: { code: string } }>([
      "batch",
      "pool",
      "autoscale",
      "evaluate",
      "--pool-id",
      scaled,
      "--auto-scale-formula",
      "$TargetDedicatedNodes = (4",
    ]);
    expect(bad.error.code).toBe("AutoScalingFormulaSyntaxError");
    const refused = await az(["batch", "pool", "autoscale", "enable", "--pool-id", scaled, "--auto-scale-formula", "$TargetDedicatedNodes = (4"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^ERROR: The specified auto-scaling formula has a syntax error\./m);

    await azOk(["batch", "pool", "autoscale", "disable", "--pool-id", scaled]);
    expect(await azOk(["batch", "pool", "show", "--pool-id", scaled, "--query", "enableAutoScale"])).toBe(false);
    await azOk(["batch", "pool", "delete", "--pool-id", scaled, "--yes"]);
  });

  it("deletes the job and the pool with --yes; the pool then disappears", async () => {
    await azOk(["batch", "job", "delete", "--job-id", jobId, "--yes"]);
    await azOk(["batch", "pool", "delete", "--pool-id", poolId, "--yes"]);
    const gone = await waitUntil(
      () => az(["batch", "pool", "show", "--pool-id", poolId, "--query", "state"]),
      (run) => run.code !== 0,
      { timeoutMs: 60_000, intervalMs: 1000, what: "the pool to be deleted" },
    );
    expect(gone.stderr).toMatch(/^ERROR: The specified pool does not exist\./m);
    const jobs = await azOk<string[]>(["batch", "job", "list", "--query", "[].id"]);
    expect(jobs).not.toContain(jobId);
  });
});
