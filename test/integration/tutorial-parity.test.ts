import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import Dockerode from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureNodeImage } from "../../src/backends/local/docker/node-image.js";
import { compose, type Composition } from "../../src/composition-root.js";
import type { Backend } from "../../src/core/backend.js";
import { loadConfig } from "../../src/core/config/index.js";
import { startMalachite, type RunningMalachite } from "../../src/start-malachite.js";
import { taskProgramPath } from "../../src/workflow/package-paths.js";
import { runTutorial, type TutorialResult } from "../../src/workflow/tutorial-workflow.js";
import { TUTORIAL_DIR, TUTORIAL_FILES } from "../unit/task/reference-top-words.js";
import { waitUntil } from "../contract/wait-until.js";
import { startLocalBackend } from "./local-test-backend.js";

/** The image as a user's registry would serve it; Malachite's nodes find it in the local engine. */
const REGISTRY = "registry.malachite.test";
const TASK_IMAGE = `${REGISTRY}/malachite-node:parity`;

async function tutorial(backend: Backend, name: string): Promise<{ result: TutorialResult; outputDir: string; console: string }> {
  const outputDir = mkdtempSync(path.join(os.tmpdir(), `malachite-parity-${name}-`));
  let console = "";
  const result = await runTutorial(backend, {
    inputFiles: TUTORIAL_FILES.map((file) => path.join(TUTORIAL_DIR, file)),
    taskProgram: taskProgramPath(),
    numWords: 5,
    nodes: 2,
    outputDir,
    cleanup: "yes",
    poolId: "ParityPool",
    jobId: "ParityJob",
    timeoutMs: 10 * 60_000,
    pollMs: 250,
    write: (text) => (console += text),
    input: new PassThrough(),
  });
  return { result, outputDir, console };
}

/** The output files by name, with the node id (which differs between runs) blanked. */
function outputs(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(path.join(dir, name), "utf8").replace(/^Node: .*$/m, "Node: <node>")]),
  );
}

describe("the tutorial through the Azure backend, against malachite serve", () => {
  const docker = new Dockerode();
  let malachite: RunningMalachite;
  let azure: Composition;
  let azureRun: Awaited<ReturnType<typeof tutorial>>;
  let localRun: Awaited<ReturnType<typeof tutorial>>;

  beforeAll(async () => {
    await docker.getImage(await ensureNodeImage()).tag({ repo: `${REGISTRY}/malachite-node`, tag: "parity" });
    malachite = await startMalachite();
    azure = await compose({
      ...loadConfig({}, {}),
      backend: "azure",
      azure: {
        batchAccountName: malachite.batchAccountName,
        batchAccountKey: malachite.batchAccountKey,
        batchEndpoint: malachite.batchUrl,
        storageConnectionString: malachite.storageConnectionString,
        taskImage: TASK_IMAGE,
        registryUsername: "malachite",
        registryPassword: "not-used-offline",
      },
    });
    const local = await startLocalBackend();
    try {
      [azureRun, localRun] = await Promise.all([tutorial(azure.backend, "azure"), tutorial(local, "local")]);
    } finally {
      await local.close();
    }
  });

  afterAll(async () => {
    await azure?.dispose();
    await malachite?.close();
    await docker
      .getImage(TASK_IMAGE)
      .remove()
      .catch(() => undefined);
  });

  it("runs every task successfully in the task image", () => {
    expect(azure.backend.kind).toBe("azure");
    expect(azureRun.result.failedTasks).toEqual([]);
    for (const task of azureRun.result.tasks) {
      expect(task.containerSettings?.imageName).toBe(TASK_IMAGE);
      expect(task.executionInfo).toMatchObject({ exitCode: 0, result: "success" });
    }
  });

  it("finds the same output files as the local backend, apart from node ids", () => {
    const azureOutputs = outputs(azureRun.outputDir);
    expect(Object.keys(azureOutputs)).toEqual(["taskdata1_OUTPUT.txt", "taskdata2_OUTPUT.txt", "taskdata3_OUTPUT.txt"]);
    expect(azureOutputs).toEqual(outputs(localRun.outputDir));
  });

  it("prints the same console output, apart from times and paths", () => {
    const normalize = (text: string) =>
      text
        .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "<time>")
        .replace(/Elapsed time: .*/, "Elapsed time: <elapsed>")
        .replace(/(timeout in \d+:\d\d:\d\d)\.+/, "$1...")
        .replace(/malachite-parity-\w+-\w+/g, "<out>");
    expect(normalize(azureRun.console)).toBe(normalize(localRun.console));
  });

  it("deletes job and pool at the end", async () => {
    await waitUntil(
      () => azure.backend.batch.pool.exists("ParityPool"),
      (exists) => !exists,
      { what: "the pool to go" },
    );
  });
});

const live = ["AZURE_BATCH_ACCOUNT", "AZURE_BATCH_ACCESS_KEY", "AZURE_BATCH_ENDPOINT", "MALACHITE_AZURE_TASK_IMAGE"].every((name) => process.env[name]);
if (!live)
  process.stderr.write(
    "tutorial on real Azure skipped: set AZURE_BATCH_ACCOUNT, AZURE_BATCH_ACCESS_KEY, AZURE_BATCH_ENDPOINT, storage and MALACHITE_AZURE_TASK_IMAGE to run it\n",
  );

describe.skipIf(!live)(
  "the tutorial on real Azure (skipped: set AZURE_BATCH_ACCOUNT, AZURE_BATCH_ACCESS_KEY, AZURE_BATCH_ENDPOINT, storage and MALACHITE_AZURE_TASK_IMAGE)",
  () => {
    it("finds the same output files as the local backend", { timeout: 60 * 60_000 }, async () => {
      const azure = await compose({ ...loadConfig(), backend: "azure" });
      const local = await startLocalBackend();
      try {
        const [azureRun, localRun] = await Promise.all([tutorial(azure.backend, "live"), tutorial(local, "local")]);
        expect(azureRun.result.failedTasks).toEqual([]);
        expect(outputs(azureRun.outputDir)).toEqual(outputs(localRun.outputDir));
      } finally {
        await local.close();
        await azure.dispose();
      }
    });
  },
);
