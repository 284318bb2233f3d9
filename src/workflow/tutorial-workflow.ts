import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Backend } from "../core/backend.js";
import type { CloudTask, PoolAddParameter, TaskAddParameter } from "../core/models/index.js";
import { confirm, type CleanupChoice } from "./confirm.js";
import { formatDuration, formatTimestamp } from "./format-duration.js";
import { doubleQuote, wrapCommandsInShell } from "./shell-commands.js";
import { waitForTasksToComplete } from "./wait-for-tasks.js";

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

function poolSpec(options: TutorialOptions, taskFile: string, taskProgramUrl: string): PoolAddParameter {
  return {
    id: options.poolId,
    vmSize: "STANDARD_A1_v2",
    virtualMachineConfiguration: {
      imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-focal", sku: "20_04-lts", version: "latest" },
      nodeAgentSKUId: "batch.node.ubuntu 20.04",
    },
    targetDedicatedNodes: options.nodes,
    startTask: {
      commandLine: wrapCommandsInShell([`cp -p ${taskFile} $AZ_BATCH_NODE_SHARED_DIR`]),
      resourceFiles: [{ httpUrl: taskProgramUrl, filePath: taskFile }],
      userIdentity: { autoUser: { scope: "pool", elevationLevel: "admin" } },
      waitForSuccess: true,
    },
  };
}

function taskSpec(index: number, inputName: string, inputUrl: string, taskFile: string, options: TutorialOptions, backend: Backend, outputSas: string): TaskAddParameter {
  const command = [
    `node $AZ_BATCH_NODE_SHARED_DIR/${taskFile}`,
    `--filepath ${doubleQuote(inputName)}`,
    `--numwords ${options.numWords}`,
    `--storageaccount ${backend.storage.accountName}`,
    `--storagecontainer ${OUTPUT_CONTAINER}`,
    `--sastoken ${doubleQuote(outputSas)}`,
    `--blobendpoint ${doubleQuote(backend.storage.blobEndpoint)}`,
  ].join(" ");
  return {
    id: `topNtask${index}`,
    commandLine: wrapCommandsInShell([command]),
    resourceFiles: [{ httpUrl: inputUrl, filePath: inputName }],
  };
}

/**
 * The Azure Batch "top-N words" tutorial, written once against the backend interface: upload
 * the task program and inputs, create a pool whose start task stages the program, a job and one
 * task per input, wait, download the outputs, delete the containers, and delete job and pool.
 */
export async function runTutorial(backend: Backend, options: TutorialOptions): Promise<TutorialResult> {
  const { storage, batch } = backend;
  const write = options.write;
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

  write(`Creating pool [${options.poolId}]...\n`);
  await batch.pool.add(poolSpec(options, taskFile, taskProgramUrl));
  write(`Creating job [${options.jobId}]...\n`);
  await batch.job.add({ id: options.jobId, poolInfo: { poolId: options.poolId } });

  const tasks = options.inputFiles.map((file, index) =>
    taskSpec(index, path.basename(file), inputUrls[index] as string, taskFile, options, backend, outputSas),
  );
  write(`Adding ${tasks.length} tasks to job [${options.jobId}]...\n`);
  for (let i = 0; i < tasks.length; i += 100) {
    const results = await batch.task.addCollection(options.jobId, tasks.slice(i, i + 100));
    const failed = results.find((result) => result.status !== "success");
    if (failed) throw new Error(`adding task ${failed.taskId} failed: ${failed.error?.code} ${failed.error?.message.value}`);
  }

  const completed = await waitForTasksToComplete(batch, options.jobId, {
    timeoutMs: options.timeoutMs,
    pollMs: options.pollMs,
    write,
    signal: options.signal,
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
  if (await confirm("Delete pool?", options.cleanup, options)) await batch.pool.delete(options.poolId);
  return { tasks: completed, downloadedFiles, failedTasks, elapsedMs };
}
