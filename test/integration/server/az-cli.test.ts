import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMalachite, type RunningMalachite } from "../../../src/start-malachite.js";
import { SharedKeyBlobStorage } from "../../../src/storage/shared-key-blob-storage.js";
import { uniqueId, waitUntil } from "../../contract/wait-until.js";

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
