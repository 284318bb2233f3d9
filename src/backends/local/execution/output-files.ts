import path from "node:path";
import { ContainerClient } from "@azure/storage-blob";
import type { OutputFile, TaskExecutionResult } from "../../../core/models/index.js";
import { NodeRootFs } from "../files/node-root-fs.js";
import { globToRegExp } from "./glob.js";
import { outputBlobName, resolvePattern } from "./output-blob-names.js";
import { uploadOptions } from "./output-upload-options.js";

/**
 * An output file that cannot be uploaded for a reason of the node, not of storage: `code` is the
 * service's failure code for the task (TaskFailureInformationCodes.FileUploadMiscError, "the compute
 * node hit an unexpected error when uploading output files").
 */
export class OutputFileUploadError extends Error {
  readonly code = "FileUploadMiscError";
  override name = "OutputFileUploadError";
}

/** A file of the task directory an output pattern may match, by its path relative to the task directory. */
interface Candidate {
  relative: string;
  /** A link out of the node root: matching it fails the upload. */
  escapes: boolean;
}

/**
 * Regular files below the task directory, and links to regular files that stay inside the node
 * root (uploaded as their target). Never descends through a link to a directory. Links that lead
 * out of the node root are kept, marked, so a pattern matching one fails instead of skipping it.
 */
async function walk(root: NodeRootFs, dir: string, prefix = ""): Promise<Candidate[]> {
  const entries = await root.readDirectory(path.posix.join(dir, prefix)).catch(() => []);
  const files: Candidate[] = [];
  for (const entry of entries) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.stats?.isDirectory() && !entry.isLink) files.push(...(await walk(root, dir, relative)));
    else if (entry.stats?.isFile() || entry.escapes) files.push({ relative, escapes: entry.escapes });
  }
  return files;
}

function shouldUpload(file: OutputFile, result: TaskExecutionResult): boolean {
  const condition = file.uploadOptions?.uploadCondition ?? "taskcompletion";
  return condition === "taskcompletion" || (condition === "tasksuccess") === (result === "success");
}

/**
 * Uploads a task's output files after it ran, as the service does. Patterns are relative to
 * the working directory (or to the task directory when they start with `../`); blobs are named
 * and given their headers as output-upload-options.ts says. Files are read only inside `nodeRoot`
 * (by default the task directory itself): a matched link out of it fails the upload with an
 * OutputFileUploadError. Returns the number of files uploaded; an upload
 * failure rejects with a message free of SAS tokens.
 */
export async function uploadOutputFiles(
  files: readonly OutputFile[],
  taskDir: string,
  result: TaskExecutionResult,
  nodeRoot: string = taskDir,
): Promise<number> {
  let uploaded = 0;
  const root = new NodeRootFs(nodeRoot);
  const taskInRoot = path.relative(nodeRoot, taskDir).split(path.sep).join("/");
  const taskFiles = await walk(root, taskInRoot);
  for (const file of files) {
    if (!shouldUpload(file, result)) continue;
    const resolved = resolvePattern(file.filePattern);
    const matcher = globToRegExp(resolved.pattern);
    const client = new ContainerClient(file.destination.container.containerUrl);
    const options = uploadOptions(file);
    for (const { relative, escapes } of taskFiles.filter((c) => matcher.test(c.relative))) {
      if (escapes) throw new OutputFileUploadError(`Uploading ${relative} failed: it is a link out of the node's directory.`);
      const source = await root.openFile(path.posix.join(taskInRoot, relative)).catch((error: unknown) => {
        throw new OutputFileUploadError(`Uploading ${relative} failed: ${(error as Error).message}`);
      });
      try {
        const blob = client.getBlockBlobClient(outputBlobName(resolved, file.destination.container.path, relative));
        await blob.uploadStream(source.createReadStream(), undefined, undefined, options);
      } catch (error) {
        throw new Error(`Uploading ${relative} to ${client.url.split("?")[0]} failed: ${(error as { code?: string }).code ?? (error as Error).message}`);
      } finally {
        await source.close().catch(() => undefined);
      }
      uploaded++;
    }
  }
  return uploaded;
}
