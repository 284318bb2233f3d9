import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Backend } from "../core/backend.js";
import { isBatchError } from "../core/batch-error.js";
import type { CloudTask } from "../core/models/index.js";
import { confirm, type CleanupChoice } from "./confirm.js";
import { formatDuration, formatTimestamp } from "./format-duration.js";
import { tutorialPool, tutorialTask } from "./tutorial-specs.js";
import { waitForTasksToComplete, type TaskWaitProgress } from "./wait-for-tasks.js";

export interface TutorialOptions {
  inputFiles: string[];
  taskProgram: string;
  numWords: number;
  nodes: number;
  outputDir: string;
  cleanup: CleanupChoice;
  poolId: string;
  jobId: string;
  timeoutMs: number;
  pollMs: number;
  /** Where the console output goes (default stdout) and where answers come from. */
  write: (text: string) => void;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  signal?: AbortSignal;
  /** A live view of the monitored tasks (the CLI passes a terminal line on a TTY); without it, the tutorial's dots. */
  progress?: TaskWaitProgress;
}

export interface TutorialResult {
  tasks: CloudTask[];
  downloadedFiles: string[];
  failedTasks: CloudTask[];
  elapsedMs: number;
}

export const APP_CONTAINER = "application";
export const INPUT_CONTAINER = "input";
export const OUTPUT_CONTAINER = "output";
const SAS_LIFETIME_MS = 2 * 60 * 60 * 1000;

/** What the run created, so a failure or Ctrl-C can delete it (pools cost money on Azure). */
interface Created {
  pool: boolean;
  job: boolean;
}

async function deleteQuietly(what: string, action: () => Promise<void>, write: (text: string) => void): Promise<void> {
  try {
    await action();
    write(`  Deleted ${what}.\n`);
  } catch (error) {
    if (!isBatchError(error) || !error.code.endsWith("NotFound")) write(`  Could not delete ${what}: ${(error as Error).message}\n`);
  }
}

/**
 * The Azure Batch "top-N words" tutorial, written once against the backend interface: upload
 * the task program and inputs, create a pool whose start task stages the program (or reuse a
 * pool of that id, as the tutorial suggests), a job and one task per input, wait, download the
 * outputs, delete the containers, and delete job and pool. On failure or interruption the job
 * and pool this run created are deleted unless the user asked to keep them.
 */
export async function runTutorial(backend: Backend, options: TutorialOptions): Promise<TutorialResult> {
  const created: Created = { pool: false, job: false };
  try {
    return await runSteps(backend, options, created);
  } catch (error) {
    if (options.cleanup !== "keep" && (created.job || created.pool)) {
      options.write(`\nCleaning up after the failure (--keep keeps job and pool)...\n`);
      if (created.job) await deleteQuietly(`job [${options.jobId}]`, () => backend.batch.job.delete(options.jobId), options.write);
      if (created.pool) await deleteQuietly(`pool [${options.poolId}]`, () => backend.batch.pool.delete(options.poolId), options.write);
    }
    throw error;
  }
}

async function runSteps(backend: Backend, options: TutorialOptions, created: Created): Promise<TutorialResult> {
  const { storage, batch } = backend;
  const { write, signal } = options;
  const started = new Date();
  const expiresOn = new Date(started.getTime() + SAS_LIFETIME_MS);
  write(`Sample start: ${formatTimestamp(started)}\n\n`);

  for (const container of [APP_CONTAINER, INPUT_CONTAINER, OUTPUT_CONTAINER]) await storage.createContainer(container);

  const upload = async (container: string, file: string): Promise<string> => {
    const name = path.basename(file);
    write(`Uploading file ${path.resolve(file)} to container [${container}]...\n`);
    await storage.uploadFile(container, name, file);
    return storage.blobSasUrl(container, name, "r", expiresOn);
  };
  const taskFile = path.basename(options.taskProgram);
  const taskProgramUrl = await upload(APP_CONTAINER, options.taskProgram);
  const inputUrls: string[] = [];
  for (const file of options.inputFiles) inputUrls.push(await upload(INPUT_CONTAINER, file));
  const outputSas = storage.containerSasUrl(OUTPUT_CONTAINER, "w", expiresOn).split("?")[1] as string;
  signal?.throwIfAborted();

  write(`Creating pool [${options.poolId}]...\n`);
  try {
    await batch.pool.add(tutorialPool(backend, options.poolId, options.nodes, taskFile, taskProgramUrl));
    created.pool = true;
  } catch (error) {
    if (!isBatchError(error, "PoolExists")) throw error;
    write(`  Pool [${options.poolId}] already exists; reusing it.\n`);
  }
  signal?.throwIfAborted();
  write(`Creating job [${options.jobId}]...\n`);
  await batch.job.add({ id: options.jobId, poolInfo: { poolId: options.poolId } });
  created.job = true;
  signal?.throwIfAborted();

  const tasks = options.inputFiles.map((file, index) =>
    tutorialTask(backend, {
      index,
      inputName: path.basename(file),
      inputUrl: inputUrls[index] as string,
      taskFile,
      numWords: options.numWords,
      outputContainer: OUTPUT_CONTAINER,
      outputSas,
    }),
  );
  write(`Adding ${tasks.length} tasks to job [${options.jobId}]...\n`);
  const results = await batch.task.addCollection(options.jobId, tasks);
  const failed = results.find((result) => result.status !== "success");
  if (failed) throw new Error(`adding task ${failed.taskId} failed: ${failed.error?.code} ${failed.error?.message.value}`);

  const completed = await waitForTasksToComplete(batch, options.jobId, {
    timeoutMs: options.timeoutMs,
    pollMs: options.pollMs,
    write,
    signal,
    progress: options.progress,
  });
  write("  Success! All tasks reached the 'Completed' state within the specified timeout period.\n");
  const failedTasks = completed.filter((task) => task.executionInfo.result !== "success");
  for (const task of failedTasks) {
    const info = task.executionInfo;
    write(`  Task ${task.id} failed: ${info.failureInfo?.code ?? "failure"} (exit code ${info.exitCode ?? "none"})\n`);
  }

  write(`Downloading all files from container [${OUTPUT_CONTAINER}]...\n`);
  await mkdir(options.outputDir, { recursive: true });
  const downloadedFiles: string[] = [];
  for (const blob of await storage.listBlobs(OUTPUT_CONTAINER)) {
    const target = path.resolve(options.outputDir, blob.name);
    await storage.downloadToFile(OUTPUT_CONTAINER, blob.name, target);
    downloadedFiles.push(target);
    write(`  Downloaded blob [${blob.name}] from container [${OUTPUT_CONTAINER}] to ${target}\n`);
  }
  write("  Download complete!\n");

  write("Deleting containers...\n");
  for (const container of [APP_CONTAINER, INPUT_CONTAINER, OUTPUT_CONTAINER]) await storage.deleteContainer(container);

  const ended = new Date();
  const elapsedMs = ended.getTime() - started.getTime();
  write(`\nSample end: ${formatTimestamp(ended)}\nElapsed time: ${formatDuration(elapsedMs)}\n\n`);

  if (await confirm("Delete job?", options.cleanup, options)) await batch.job.delete(options.jobId);
  created.job = false;
  if (await confirm("Delete pool?", options.cleanup, options)) await batch.pool.delete(options.poolId);
  created.pool = false;
  return { tasks: completed, downloadedFiles, failedTasks, elapsedMs };
}
