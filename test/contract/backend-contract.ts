import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/core/backend.js";
import type { BatchError } from "../../src/core/batch-error.js";
import type { CloudTask, PoolAddParameter, TaskAddParameter } from "../../src/core/models/index.js";
import { uniqueId, waitUntil as realTimeWaitUntil } from "./wait-until.js";
import { rejection } from "./batch-rejection.js";

/**
 * How long a contract suite may take to start its backend and pool: on a loaded machine, starting
 * Azurite and bringing up nodes takes several times its usual second or two.
 */
export const CONTRACT_SETUP_TIMEOUT_MS = 60_000;

/** Hooks a backend-specific suite can give the contract suite. */
export interface ContractTarget {
  name: string;
  start(): Promise<Backend>;
  /** How long a node may take to come up on this backend. */
  nodeTimeoutMs: number;
  /** Waits for the backend's background work; default: polling in real time (wait-until.ts). */
  waitUntil?: typeof realTimeWaitUntil;
  /** Lets `ms` of the backend's time pass; default: a real sleep. A backend on a fake clock advances it. */
  letTimePass?: (ms: number) => Promise<void>;
}

/**
 * The bash scripts the contract's tasks run (as `/bin/bash -c '<script>'`). A backend on a fake
 * node runtime scripts what each of them does (test/support/contract-programs.ts).
 */
export const CONTRACT_SCRIPTS = {
  environment: 'echo "$AZ_BATCH_TASK_ID|$AZ_BATCH_JOB_ID|$AZ_BATCH_POOL_ID|$AZ_BATCH_NODE_ID|$PWD|$MY_SETTING"',
  exit3: "echo attempt; exit 3",
  secondTrySucceeds: 'f=$AZ_BATCH_TASK_WORKING_DIR/n; n=$(cat $f 2>/dev/null || echo 0); echo $((n+1)) > $f; echo try $n; [ "$n" -ge 1 ]',
  userAndFiles: "id -u; touch $AZ_BATCH_TASK_WORKING_DIR/mine && touch $AZ_BATCH_NODE_SHARED_DIR/shared-$$",
  outputs: "mkdir -p r && echo a > r/a.txt && echo b > r/b.txt",
  brokenStartTask: "echo broken >&2; exit 7",
} as const;

function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The behaviour every backend owes its users, checked through the backend interface only.
 * Each backend's test file calls this once.
 */
export function describeBackendContract(target: ContractTarget): void {
  describe(`backend contract: ${target.name}`, () => {
    let backend: Backend;
    let poolId: string;
    const bash = (script: string) => `/bin/bash -c '${script.replace(/'/g, `'\\''`)}'`;
    const waitUntil = target.waitUntil ?? realTimeWaitUntil;
    const letTimePass = target.letTimePass ?? realSleep;

    beforeAll(async () => {
      backend = await target.start();
      poolId = uniqueId("pool");
      await backend.batch.pool.add({ id: poolId, vmSize: "standard_d2s_v3", targetDedicatedNodes: 1, taskSlotsPerNode: 2 });
      await waitUntil(
        () => backend.batch.computeNode.list(poolId),
        (nodes) => nodes.length === 1 && nodes[0]?.state === "idle",
        {
          timeoutMs: target.nodeTimeoutMs,
          what: "an idle node",
        },
      );
    }, CONTRACT_SETUP_TIMEOUT_MS);

    afterAll(async () => {
      await backend?.close();
    });

    async function runTasks(tasks: TaskAddParameter[], jobOptions: { onAllTasksComplete?: "terminatejob" } = {}): Promise<CloudTask[]> {
      const jobId = uniqueId("job");
      await backend.batch.job.add({ id: jobId, poolInfo: { poolId }, ...jobOptions });
      const results = await backend.batch.task.addCollection(jobId, tasks);
      expect(results.every((result) => result.status === "success")).toBe(true);
      return waitUntil(
        () => backend.batch.task.list(jobId),
        (list) => list.every((task) => task.state === "completed"),
        {
          what: "completed tasks",
          timeoutMs: 120_000,
        },
      );
    }

    async function stdoutOf(task: CloudTask): Promise<string> {
      const jobId = task.url?.split("/jobs/")[1]?.split("/")[0] as string;
      return (await backend.batch.file.getFromTask(decodeURIComponent(jobId), task.id, "stdout.txt")).toString("utf8");
    }

    it("reports a created pool and refuses a second one with the same id, whatever its case", async () => {
      const pool = await backend.batch.pool.get(poolId);
      expect(pool).toMatchObject({ id: poolId, state: "active", allocationState: "steady", currentDedicatedNodes: 1, taskSlotsPerNode: 2 });
      expect(await backend.batch.pool.exists(poolId.toUpperCase())).toBe(true);
      const error = await rejection(backend.batch.pool.add({ id: poolId.toUpperCase(), vmSize: "standard_d2s_v3" }));
      expect([error.statusCode, error.code]).toEqual([409, "PoolExists"]);
      expect((await backend.batch.pool.list()).map((p) => p.id)).toContain(poolId);
    });

    it("answers lookups of missing entities with the service's codes", async () => {
      expect((await rejection(backend.batch.pool.get("no-such-pool"))).code).toBe("PoolNotFound");
      expect((await rejection(backend.batch.job.get("no-such-job"))).code).toBe("JobNotFound");
      expect((await rejection(backend.batch.task.add("no-such-job", { id: "t", commandLine: "true" }))).code).toBe("JobNotFound");
      expect((await rejection(backend.batch.computeNode.get(poolId, "tvm-none"))).code).toBe("NodeNotFound");
      const error = await rejection(backend.batch.pool.add({ id: "bad id!", vmSize: "x" }));
      expect([error.statusCode, error.code]).toEqual([400, "InvalidPropertyValue"]);
    });

    it("runs a command line without a shell, in the node's environment", async () => {
      const [literal, env] = await runTasks([
        { id: "literal", commandLine: "echo $HOME *" },
        {
          id: "env",
          commandLine: bash(CONTRACT_SCRIPTS.environment),
          environmentSettings: [{ name: "MY_SETTING", value: "42" }],
        },
      ]);
      expect(await stdoutOf(literal as CloudTask)).toBe("$HOME *\n");
      const [taskId, jobId, pool, nodeId, pwd, setting] = (await stdoutOf(env as CloudTask)).trim().split("|");
      expect([taskId, pool, setting]).toEqual(["env", poolId, "42"]);
      expect(jobId).toMatch(/^job-/);
      expect(nodeId).toBe(env?.nodeInfo?.nodeId);
      expect(pwd).toBe(`/mnt/batch/tasks/workitems/${jobId}/job-1/env/wd`);
      expect(env?.executionInfo).toMatchObject({ exitCode: 0, result: "success", retryCount: 0 });
    });

    it("completes a task that exits 3 as a failure after its retries", async () => {
      const [task] = await runTasks([{ id: "exit3", commandLine: bash(CONTRACT_SCRIPTS.exit3), constraints: { maxTaskRetryCount: 2 } }]);
      expect(task?.executionInfo).toMatchObject({
        exitCode: 3,
        result: "failure",
        retryCount: 2,
        failureInfo: { category: "usererror", code: "FailureExitCode" },
      });
      expect(task?.executionInfo.lastRetryTime).toBeDefined();
    });

    it("gives statistics only when they are expanded", async () => {
      const [task] = await runTasks([{ id: "counted", commandLine: "true" }]);
      const jobId = decodeURIComponent(task?.url?.split("/jobs/")[1]?.split("/")[0] as string);
      expect((await backend.batch.task.get(jobId, "counted")).stats).toBeUndefined();
      // The service updates statistics in its own time: only their shape is the contract.
      const expanded = await backend.batch.task.get(jobId, "counted", { withStats: true });
      expect(expanded.stats).toMatchObject({ wallClockTime: expect.any(String), userCPUTime: expect.any(String), readIOps: expect.any(Number) });
      const job = await backend.batch.job.get(jobId, { withStats: true });
      expect(job.stats).toMatchObject({ numSucceededTasks: expect.any(Number), numTaskRetries: expect.any(Number), waitTime: expect.any(String) });
      expect((await backend.batch.pool.get(poolId, { withStats: true })).stats).toMatchObject({ url: expect.any(String), startTime: expect.any(String) });
      expect((await backend.batch.pool.get(poolId)).stats).toBeUndefined();
    });

    it("retries a failing task until it succeeds", async () => {
      const [task] = await runTasks([{ id: "flaky", commandLine: bash(CONTRACT_SCRIPTS.secondTrySucceeds), constraints: { maxTaskRetryCount: 3 } }]);
      expect(task?.executionInfo).toMatchObject({ exitCode: 0, result: "success", retryCount: 1 });
      expect(await stdoutOf(task as CloudTask)).toBe("try 1\n");
    });

    it("kills a task that runs over its wall-clock limit", async () => {
      const started = Date.now();
      const jobId = uniqueId("job");
      await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
      await backend.batch.task.add(jobId, { id: "slow", commandLine: "sleep 120", constraints: { maxWallClockTime: "PT2S" } });
      await waitUntil(
        () => backend.batch.task.get(jobId, "slow"),
        (t) => t.state === "running",
        { what: "a running task" },
      );
      await letTimePass(2_000);
      const task = await waitUntil(
        () => backend.batch.task.get(jobId, "slow"),
        (t) => t.state === "completed",
        { what: "the task to be killed" },
      );
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(task.executionInfo.result).toBe("failure");
      expect(task.executionInfo.failureInfo?.code).toBe("MaxWallClockTimeExpiry");
    });

    it("runs admin tasks as root and others as an unprivileged user", async () => {
      const [admin, plain] = await runTasks([
        { id: "admin", commandLine: "id -u", userIdentity: { autoUser: { scope: "task", elevationLevel: "admin" } } },
        { id: "plain", commandLine: bash(CONTRACT_SCRIPTS.userAndFiles) },
      ]);
      expect((await stdoutOf(admin as CloudTask)).trim()).toBe("0");
      expect((await stdoutOf(plain as CloudTask)).trim()).not.toBe("0");
      expect(plain?.executionInfo.result).toBe("success");
    });

    it("downloads resource files into the working directory and lists the task's files", async () => {
      const container = uniqueId("res");
      await backend.storage.createContainer(container);
      await backend.storage.uploadData(container, "hello.txt", "hello from a blob\n");
      const url = backend.storage.blobSasUrl(container, "hello.txt", "r", new Date(Date.now() + 3_600_000));
      const missingUrl = backend.storage.blobSasUrl(container, "nope.txt", "r", new Date(Date.now() + 3_600_000));
      const [task] = await runTasks([
        { id: "res", commandLine: "cat data/hello.txt", resourceFiles: [{ httpUrl: url, filePath: "data/hello.txt" }] },
        { id: "missing", commandLine: "true", resourceFiles: [{ httpUrl: missingUrl, filePath: "nope.txt" }] },
      ]);
      expect(await stdoutOf(task as CloudTask)).toBe("hello from a blob\n");
      const jobId = task?.url?.split("/jobs/")[1]?.split("/")[0] as string;
      const files = await backend.batch.file.listFromTask(jobId, "res", { recursive: true });
      expect(files.map((file) => file.name)).toEqual(expect.arrayContaining(["stdout.txt", "stderr.txt", "wd/data/hello.txt"]));
      expect(files.find((file) => file.name === "stdout.txt")?.properties?.contentLength).toBe(18);
      expect((await rejection(backend.batch.file.getFromTask(jobId, "res", "wd/none.txt"))).code).toBe("FileNotFound");
      const missing = await backend.batch.task.get(jobId, "missing");
      expect(missing.executionInfo).toMatchObject({ result: "failure", failureInfo: { category: "usererror", code: "BlobNotFound" } });
      await backend.storage.deleteContainer(container);
    });

    it("uploads output files as their upload condition says", async () => {
      const container = uniqueId("out");
      await backend.storage.createContainer(container);
      const containerUrl = backend.storage.containerSasUrl(container, "w", new Date(Date.now() + 3_600_000));
      const output = (pattern: string, path: string, uploadCondition: "tasksuccess" | "taskfailure" | "taskcompletion") => ({
        filePattern: pattern,
        destination: { container: { containerUrl, path } },
        uploadOptions: { uploadCondition },
      });
      await runTasks([
        {
          id: "outputs",
          commandLine: bash(CONTRACT_SCRIPTS.outputs),
          outputFiles: [
            output("r/*.txt", "results", "tasksuccess"),
            output("../stdout.txt", "logs/stdout.txt", "taskcompletion"),
            output("r/*.txt", "failed", "taskfailure"),
          ],
        },
      ]);
      const names = (await backend.storage.listBlobs(container)).map((blob) => blob.name).sort();
      // A wildcard pattern's matches are named below its base directory (`r/`), prefixed by `path`.
      expect(names).toEqual(["logs/stdout.txt", "results/a.txt", "results/b.txt"]);
      await backend.storage.deleteContainer(container);
    });

    it("adds a collection of tasks, rejecting duplicate ids one by one, however many there are", async () => {
      const jobId = uniqueId("job");
      await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
      await backend.batch.task.add(jobId, { id: "existing", commandLine: "true" });
      const results = await backend.batch.task.addCollection(jobId, [
        { id: "fresh", commandLine: "true" },
        { id: "EXISTING", commandLine: "true" },
        { id: "fresh", commandLine: "true" },
      ]);
      expect(results.map((result) => [result.taskId, result.status, result.error?.code])).toEqual([
        ["fresh", "success", undefined],
        ["EXISTING", "clienterror", "TaskExists"],
        ["fresh", "clienterror", "TaskExists"],
      ]);
      const many = Array.from({ length: 130 }, (_, i) => ({ id: `bulk${i}`, commandLine: "true" }));
      const results2 = await backend.batch.task.addCollection(jobId, many);
      expect(results2.map((result) => result.status)).toEqual(many.map(() => "success"));
      await waitUntil(
        () => backend.batch.job.getTaskCounts(jobId),
        (counts) => counts.taskCounts.completed === 132,
        { timeoutMs: 180_000, what: "132 completed tasks" },
      );
      const counts = await backend.batch.job.getTaskCounts(jobId);
      expect(counts.taskCounts).toEqual({ active: 0, running: 0, completed: 132, succeeded: 132, failed: 0 });
    });

    it("runs as many tasks at once as the node has slots", async () => {
      const jobId = uniqueId("job");
      await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
      await backend.batch.task.addCollection(
        jobId,
        [1, 2, 3].map((i) => ({ id: `s${i}`, commandLine: "sleep 3" })),
      );
      const counts = await waitUntil(
        () => backend.batch.job.getTaskCounts(jobId),
        (c) => c.taskCounts.running === 2,
        { what: "two running tasks" },
      );
      expect(counts.taskCounts.active).toBe(1);
      const node = (await backend.batch.computeNode.list(poolId))[0];
      expect(node).toMatchObject({ state: "running", runningTasksCount: 2, runningTaskSlotsCount: 2 });
      await letTimePass(3_000);
      await waitUntil(
        () => backend.batch.job.getTaskCounts(jobId),
        (c) => c.taskCounts.completed === 2 && c.taskCounts.running === 1,
        { what: "the third task to run" },
      );
      await letTimePass(3_000);
      await waitUntil(
        () => backend.batch.job.getTaskCounts(jobId),
        (c) => c.taskCounts.completed === 3,
        { what: "three completed tasks" },
      );
    });

    it("terminates a running task and completes a job whose tasks are all done", async () => {
      const jobId = uniqueId("job");
      await backend.batch.job.add({ id: jobId, poolInfo: { poolId }, onAllTasksComplete: "terminatejob" });
      await backend.batch.task.add(jobId, { id: "long", commandLine: "sleep 100" });
      await waitUntil(
        () => backend.batch.task.get(jobId, "long"),
        (t) => t.state === "running",
        { what: "a running task" },
      );
      await backend.batch.task.terminate(jobId, "long");
      const task = await waitUntil(
        () => backend.batch.task.get(jobId, "long"),
        (t) => t.state === "completed",
        { what: "a terminated task" },
      );
      expect(task.executionInfo).toMatchObject({ result: "failure", failureInfo: { code: "TaskEnded" } });
      const job = await waitUntil(
        () => backend.batch.job.get(jobId),
        (j) => j.state === "completed",
        { what: "a completed job" },
      );
      expect(job.executionInfo.terminateReason).toBe("AllTasksComplete");
      expect((await rejection(backend.batch.task.add(jobId, { id: "late", commandLine: "true" }))).code).toBe("JobCompleted");
    });

    it("terminates a job that runs over its wall-clock limit, ending its running tasks", async () => {
      const jobId = uniqueId("job");
      await backend.batch.job.add({ id: jobId, poolInfo: { poolId }, constraints: { maxWallClockTime: "PT3S" } });
      await backend.batch.task.add(jobId, { id: "long", commandLine: "sleep 100" });
      await waitUntil(
        () => backend.batch.task.get(jobId, "long"),
        (t) => t.state === "running",
        { what: "a running task" },
      );
      await letTimePass(3_000);
      const job = await waitUntil(
        () => backend.batch.job.get(jobId),
        (j) => j.state === "completed",
        { what: "the job to end", timeoutMs: 60_000 },
      );
      expect(job.executionInfo.terminateReason).toBe("MaxWallClockTimeExpiry");
      expect((await backend.batch.task.get(jobId, "long")).executionInfo).toMatchObject({ result: "failure", failureInfo: { code: "TaskEnded" } });
    });

    it("deletes a job with its tasks", async () => {
      const jobId = uniqueId("job");
      await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
      await backend.batch.task.add(jobId, { id: "long", commandLine: "sleep 100" });
      await waitUntil(
        () => backend.batch.task.get(jobId, "long"),
        (t) => t.state === "running",
        { what: "a running task" },
      );
      await backend.batch.job.delete(jobId);
      await waitUntil(
        () =>
          backend.batch.job.get(jobId).then(
            () => "exists",
            (e: BatchError) => e.code,
          ),
        (code) => code === "JobNotFound",
        { what: "the job to go" },
      );
    });

    it("keeps tasks active while the start task fails, and reports the node starttaskfailed", async () => {
      const failingPool = uniqueId("pool");
      const spec: PoolAddParameter = {
        id: failingPool,
        vmSize: "standard_d2s_v3",
        targetDedicatedNodes: 1,
        startTask: { commandLine: bash(CONTRACT_SCRIPTS.brokenStartTask), maxTaskRetryCount: 1, waitForSuccess: true },
      };
      await backend.batch.pool.add(spec);
      const jobId = uniqueId("job");
      await backend.batch.job.add({ id: jobId, poolInfo: { poolId: failingPool } });
      await backend.batch.task.add(jobId, { id: "waiting", commandLine: "true" });
      const [node] = await waitUntil(
        () => backend.batch.computeNode.list(failingPool),
        (nodes) => nodes[0]?.state === "starttaskfailed",
        {
          timeoutMs: target.nodeTimeoutMs,
          what: "a node whose start task failed",
        },
      );
      expect(node?.startTaskInfo).toMatchObject({
        state: "completed",
        exitCode: 7,
        result: "failure",
        retryCount: 1,
        failureInfo: { code: "FailureExitCode" },
      });
      expect((await backend.batch.file.getFromComputeNode(failingPool, node?.id as string, "startup/stderr.txt")).toString()).toBe("broken\n");
      await letTimePass(1_000);
      expect((await backend.batch.task.get(jobId, "waiting")).state).toBe("active");
      await backend.batch.job.delete(jobId);
      await backend.batch.pool.delete(failingPool);
      await waitUntil(
        () => backend.batch.pool.exists(failingPool),
        (exists) => !exists,
        { what: "the pool to go" },
      );
    });
  });
}
