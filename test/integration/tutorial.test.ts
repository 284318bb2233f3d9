import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalBackend } from "../../src/backends/local/local-backend.js";
import { DockerNodeRuntime } from "../../src/backends/local/docker/docker-node-runtime.js";
import { runTutorial, type TutorialResult } from "../../src/workflow/tutorial-workflow.js";
import { taskProgramPath } from "../../src/workflow/package-paths.js";
import { referenceOutput, TUTORIAL_DIR, TUTORIAL_FILES } from "../unit/task/reference-top-words.js";
import { waitUntil } from "../contract/wait-until.js";
import { startLocalBackend } from "./local-test-backend.js";

describe("the tutorial on the local backend", () => {
  let backend: LocalBackend;
  let result: TutorialResult;
  let console = "";
  const outputDir = mkdtempSync(path.join(os.tmpdir(), "malachite-tutorial-"));

  beforeAll(async () => {
    backend = await startLocalBackend();
    result = await runTutorial(backend, {
      inputFiles: TUTORIAL_FILES.map((name) => path.join(TUTORIAL_DIR, name)),
      taskProgram: taskProgramPath(),
      numWords: 3,
      nodes: 2,
      outputDir,
      cleanup: "yes",
      poolId: "TutorialPool",
      jobId: "TutorialJob",
      timeoutMs: 5 * 60_000,
      pollMs: 250,
      write: (text) => {
        console += text;
      },
      input: new PassThrough(),
    });
  });

  afterAll(async () => {
    await backend?.close();
  });

  it("completes every task successfully", () => {
    expect(result.tasks.map((task) => task.id)).toEqual(["topNtask0", "topNtask1", "topNtask2"]);
    expect(result.failedTasks).toEqual([]);
    for (const task of result.tasks) expect(task.executionInfo).toMatchObject({ exitCode: 0, result: "success" });
  });

  it("downloads one output per input with the original's exact content", () => {
    expect(result.downloadedFiles.map((file) => path.basename(file)).sort()).toEqual(["taskdata1_OUTPUT.txt", "taskdata2_OUTPUT.txt", "taskdata3_OUTPUT.txt"]);
    TUTORIAL_FILES.forEach((name, index) => {
      const task = result.tasks[index];
      const expected = referenceOutput(readFileSync(path.join(TUTORIAL_DIR, name), "utf8"), 3, {
        node: task?.nodeInfo?.nodeId as string,
        task: `topNtask${index}`,
        job: "TutorialJob",
        pool: "TutorialPool",
      });
      const actual = readFileSync(path.join(outputDir, name.replace(".txt", "_OUTPUT.txt")), "utf8");
      expect(actual).toBe(expected);
    });
  });

  it("prints the tutorial's console output", () => {
    const lines = console.split("\n");
    expect(lines[0]).toMatch(/^Sample start: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(console).toContain(`to container [application]...`);
    for (const name of TUTORIAL_FILES) expect(console).toContain(`${path.join(TUTORIAL_DIR, name)} to container [input]...`);
    expect(console).toContain("Creating pool [TutorialPool]...\nCreating job [TutorialJob]...\nAdding 3 tasks to job [TutorialJob]...\n");
    expect(console).toMatch(/Monitoring all tasks for 'Completed' state, timeout in 0:05:00\.+\n/);
    expect(console).toContain("  Success! All tasks reached the 'Completed' state within the specified timeout period.\n");
    expect(console).toContain(`  Downloaded blob [taskdata1_OUTPUT.txt] from container [output] to ${path.join(outputDir, "taskdata1_OUTPUT.txt")}\n`);
    expect(console).toContain("  Download complete!\nDeleting containers...\n");
    expect(console).toMatch(/Elapsed time: 0:0\d:\d\d\n/);
    expect(console).toContain("Delete job? [Y/n] y\nDelete pool? [Y/n] y\n");
  });

  it("spreads the tasks over both nodes, each task writing its own stdout", async () => {
    const nodes = new Set(result.tasks.map((task) => task.nodeInfo?.nodeId));
    expect(nodes.size).toBe(2);
  });

  it("deletes the containers, the job and the pool, and with them every node container", async () => {
    expect(await backend.storage.listBlobs("output").catch((error: { code?: string }) => error.code)).toBe("ContainerNotFound");
    const runtime = new DockerNodeRuntime();
    const deadline = Date.now() + 30_000;
    while ((await runtime.listManaged({ "malachite.session": backend.sessionId })).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await runtime.listManaged({ "malachite.session": backend.sessionId })).toEqual([]);
    // Deleting a pool is asynchronous (202): its record goes once its nodes are removed.
    await waitUntil(
      () => backend.batch.pool.exists("TutorialPool"),
      (exists) => !exists,
      { what: "the pool to go" },
    );
  });
});
