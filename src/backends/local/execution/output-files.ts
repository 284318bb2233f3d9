import { readdir } from "node:fs/promises";
import path from "node:path";
import { ContainerClient } from "@azure/storage-blob";
import type { OutputFile, TaskExecutionResult } from "../../../core/models/index.js";
import { globToRegExp } from "./glob.js";

async function walk(dir: string, prefix = ""): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await walk(path.join(dir, entry.name), relative)));
    else if (entry.isFile()) files.push(relative);
  }
  return files;
}

function shouldUpload(file: OutputFile, result: TaskExecutionResult): boolean {
  const condition = file.uploadOptions?.uploadCondition ?? "taskcompletion";
  return condition === "taskcompletion" || (condition === "tasksuccess") === (result === "success");
}

/** Where a matched file goes: a single literal file goes to `path` itself, a pattern's matches below it. */
function blobName(file: OutputFile, relative: string, isLiteral: boolean): string {
  const destination = file.destination.container.path;
  if (!destination) return relative;
  return isLiteral ? destination : `${destination.replace(/\/$/, "")}/${relative}`;
}

/**
 * Uploads a task's output files after it ran, as the service does. Patterns are relative to
 * the working directory (or to the task directory when they start with `../`). Returns the
 * number of files uploaded; an upload failure rejects with a message free of SAS tokens.
 */
export async function uploadOutputFiles(
  files: readonly OutputFile[],
  taskDir: string,
  result: TaskExecutionResult,
): Promise<number> {
  let uploaded = 0;
  const workingDir = path.join(taskDir, "wd");
  const taskFiles = (await walk(taskDir)).map((name) => path.posix.relative("wd", name));
  for (const file of files) {
    if (!shouldUpload(file, result)) continue;
    const pattern = path.posix.normalize(file.filePattern);
    const isLiteral = !/[*?[]/.test(pattern);
    const matcher = globToRegExp(pattern);
    const client = new ContainerClient(file.destination.container.containerUrl);
    for (const relative of taskFiles.filter((name) => matcher.test(name))) {
      const headers = Object.fromEntries((file.destination.container.uploadHeaders ?? []).map((h) => [h.name.toLowerCase(), h.value ?? ""]));
      try {
        await client.getBlockBlobClient(blobName(file, relative, isLiteral)).uploadFile(path.join(workingDir, relative), {
          blobHTTPHeaders: { blobContentType: headers["content-type"] ?? "application/octet-stream" },
        });
      } catch (error) {
        throw new Error(`Uploading ${relative} to ${client.url.split("?")[0]} failed: ${(error as { code?: string }).code ?? (error as Error).message}`);
      }
      uploaded++;
    }
  }
  return uploaded;
}
