import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMalachite, type RunningMalachite } from "../../../src/start-malachite.js";
import { IN_CI, loopbackOnlyEnv, missingPythonClient, runPython } from "../../support/python-client.js";

/**
 * Conformance: the tutorial's workflow written against Debian's python3-azure (azure-batch 13.0.1,
 * api-version 2022-10-01.16.0, and azure-storage-blob 12) as a user would write it, run against
 * Malachite. The script (clients/python_tutorial.py) prints a JSON summary; this test asserts on it.
 */

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "clients/python_tutorial.py");

const missing = missingPythonClient();
if (missing && !IN_CI) console.warn(`python-sdk.test.ts skipped: ${missing}`);

interface TaskSummary {
  state: string;
  exitCode: number | null;
  result: string | null;
  failureCode: string | null;
  nodeId: string | null;
}

interface Summary {
  poolId: string;
  jobId: string;
  error?: unknown;
  uploaded: string[];
  image: { nodeAgentSkuId: string; offer: string; sku: string };
  pool: Record<string, unknown>;
  poolExists: boolean;
  duplicatePool: { code: string; status: number } | null;
  addCollection: [string, string][];
  tasks: Record<string, TaskSummary>;
  pagedSucceeded: [string, string, string | null][];
  stdout: Record<string, string>;
  failingStderr: string;
  taskFiles: string[];
  taskCounts: Record<string, number>;
  nodes: { id: string; state: string; startTaskState: string | null; startTaskExitCode: number | null }[];
  missingJob: { code: string; status: number; message: string } | null;
  jobDeleted: boolean | string;
  poolGone: boolean | string;
}

describe.skipIf(missing !== undefined && !IN_CI)(
  `the Python SDK (azure-batch 13) runs the tutorial workflow against Malachite${missing ? ` [${missing}]` : ""}`,
  () => {
    let malachite: RunningMalachite | undefined;

    beforeAll(async () => {
      if (missing) throw new Error(`CI=${process.env.CI}: the Python client must be installed (.ci/run installs python3-azure): ${missing}`);
      malachite = await startMalachite({ batchPort: 0, blobPort: 0 });
    });

    afterAll(async () => {
      await malachite?.close();
    });

    it("creates pool, job and tasks, monitors them, reads their output, and sees the service's error codes", async () => {
      const m = malachite!;
      const run = await runPython(
        SCRIPT,
        loopbackOnlyEnv({
          MALACHITE_BATCH_URL: m.batchUrl,
          MALACHITE_BATCH_ACCOUNT: m.batchAccountName,
          MALACHITE_BATCH_KEY: m.batchAccountKey,
          MALACHITE_STORAGE_CONNECTION_STRING: m.storageConnectionString,
          MALACHITE_ID_SUFFIX: `${process.pid}-${Date.now().toString(36)}`,
        }),
        240_000,
      );
      const lastLine = run.stdout.trim().split("\n").pop() ?? "";
      let summary: Summary;
      try {
        summary = JSON.parse(lastLine) as Summary;
      } catch {
        throw new Error(`python_tutorial.py exited ${run.code} without a JSON summary\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
      }
      // The script reports any exception in the summary rather than a traceback: show it first.
      expect(summary.error, `python_tutorial.py failed; stderr:\n${run.stderr}`).toBeUndefined();
      expect(run.code).toBe(0);

      expect(summary.uploaded).toEqual(["taskdata1.txt", "taskdata2.txt", "taskdata3.txt"]);
      // account.list_supported_images with $filter=verificationType eq 'verified', as the samples' helper picks it.
      expect(summary.image).toEqual({ nodeAgentSkuId: "batch.node.ubuntu 20.04", offer: "0001-com-ubuntu-server-focal", sku: "20_04-lts" });

      // pool.add, pool.exists, pool.get; a second pool.add is a BatchErrorException with PoolExists.
      expect(summary.poolExists).toBe(true);
      expect(summary.pool).toEqual({
        id: summary.poolId,
        vmSize: "STANDARD_A1_v2",
        targetDedicatedNodes: 1,
        startTaskWaitForSuccess: true,
        startTaskElevation: "admin",
        nodeAgentSkuId: "batch.node.ubuntu 20.04",
      });
      expect(summary.duplicatePool).toEqual({ code: "PoolExists", status: 409 });

      // task.add_collection of three tasks with resource files, and task.add of one that fails.
      expect(summary.addCollection).toEqual([
        ["topNtask0", "success"],
        ["topNtask1", "success"],
        ["topNtask2", "success"],
      ]);
      const nodeId = summary.nodes[0]?.id;
      for (const id of ["topNtask0", "topNtask1", "topNtask2"]) {
        expect(summary.tasks[id], id).toEqual({ state: "completed", exitCode: 0, result: "success", failureCode: null, nodeId });
      }
      expect(summary.tasks.failing).toEqual({ state: "completed", exitCode: 3, result: "failure", failureCode: "FailureExitCode", nodeId });

      // task.list with max_results=1, $filter and $select: three pages, selected fields only.
      expect(summary.pagedSucceeded).toEqual([
        ["topNtask0", "completed", null],
        ["topNtask1", "completed", null],
        ["topNtask2", "completed", null],
      ]);

      // file.get_from_task: the start task staged greeting.txt into the shared directory, each task
      // got its input from a SAS URL into wd/, and bytes (BOM, UTF-8) arrive unchanged.
      const greeting = "hello from the start task";
      expect(summary.stdout).toEqual({
        topNtask0: `${greeting}: 9 words in taskdata1.txt on ${nodeId}\nthe quick brown fox jumps over the lazy dog\n`,
        topNtask1: `${greeting}: 10 words in taskdata2.txt on ${nodeId}\nto be or not to be\n`,
        topNtask2: `${greeting}: 4 words in taskdata3.txt on ${nodeId}\n\ufeffna\u00efve caf\u00e9, it\u2019s fine\n`,
        failing: "",
      });
      expect(summary.failingStderr).toBe("oops\n");
      expect(summary.taskFiles).toEqual(expect.arrayContaining(["stdout.txt", "stderr.txt", "wd/taskdata1.txt"]));

      expect(summary.taskCounts).toEqual({ active: 0, running: 0, completed: 4, succeeded: 3, failed: 1 });
      expect(summary.nodes).toEqual([{ id: expect.stringMatching(/^tvm-/), state: "idle", startTaskState: "completed", startTaskExitCode: 0 }]);

      // job.get of a job that does not exist.
      expect(summary.missingJob).toMatchObject({ code: "JobNotFound", status: 404, message: expect.stringContaining("The specified job does not exist.") });

      // job.delete, pool.delete, then pool.exists turns false.
      expect(summary.jobDeleted).toBe(true);
      expect(summary.poolGone).toBe(true);
    });
  },
);
