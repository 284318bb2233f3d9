import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ContainerClient } from "@azure/storage-blob";
import type { BlobStorage } from "../../../core/backend.js";
import type { ResourceFile, TaskFailureInfo } from "../../../core/models/index.js";
import { insideByText, OutsideNodeRootError, type NodeRootFs } from "../files/node-root-fs.js";

/** A resource file that could not be put on the node; becomes the task's `failureInfo`. */
export class ResourceFileError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  toFailureInfo(): TaskFailureInfo {
    return { category: "usererror", code: this.code, message: this.message };
  }
}

const DEFAULT_FILE_MODE = 0o770;

/** A URL without its query, so SAS tokens never reach messages. */
function redact(url: string): string {
  return url.split("?")[0] as string;
}

function codeForStatus(status: number): string {
  if (status === 403 || status === 401) return "BlobAccessDenied";
  if (status === 404) return "BlobNotFound";
  return "BlobDownloadMiscError";
}

/** `relative` below `base` (both relative to the node root), refused when its text leaves `base`. */
function resolveInside(base: string, relative: string): string {
  try {
    return path.posix.join(base, insideByText(relative));
  } catch (error) {
    if (!(error instanceof OutsideNodeRootError)) throw error;
    throw new ResourceFileError("BlobDownloadMiscError", `The file path '${relative}' leaves the working directory.`);
  }
}

/**
 * Creates the file (and its directories) afresh inside the node root, with its mode: a directory
 * or file a start task left in the working directory as a link out of the node root is refused
 * (the service's ResourceDirectoryCreateFailed / ResourceFileCreateFailed), never written through.
 */
async function createTarget(root: NodeRootFs, target: string, fileMode: string | undefined): Promise<FileHandle> {
  try {
    await root.mkdir(path.posix.dirname(target));
  } catch (error) {
    throw new ResourceFileError("ResourceDirectoryCreateFailed", `Could not create the directory of '${target}': ${(error as Error).message}`);
  }
  let file: FileHandle;
  try {
    file = await root.createFresh(target);
  } catch (error) {
    throw new ResourceFileError("ResourceFileCreateFailed", `Could not create '${target}': ${(error as Error).message}`);
  }
  // fchmod on the new file itself: the mode as given, not filtered by the umask.
  await file.chmod(fileMode ? parseInt(fileMode, 8) : DEFAULT_FILE_MODE).catch(async (error: unknown) => {
    await file.close();
    throw error;
  });
  return file;
}

async function downloadUrl(url: string, root: NodeRootFs, target: string, fileMode: string | undefined): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new ResourceFileError("BlobDownloadMiscError", `Could not download ${redact(url)}: ${(error as Error).message}`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new ResourceFileError(codeForStatus(response.status), `Downloading ${redact(url)} failed with HTTP status ${response.status}.`);
  }
  const file = await createTarget(root, target, fileMode).catch(async (error: unknown) => {
    await response.body?.cancel();
    throw error;
  });
  await pipeline(Readable.fromWeb(response.body), file.createWriteStream());
}

async function downloadContainer(client: ContainerClient, file: ResourceFile, root: NodeRootFs, workingDir: string): Promise<void> {
  const base = resolveInside(workingDir, file.filePath ?? ".");
  try {
    for await (const blob of client.listBlobsFlat({ prefix: file.blobPrefix })) {
      const target = resolveInside(base, blob.name);
      const download = await client.getBlobClient(blob.name).download();
      const output = await createTarget(root, target, file.fileMode).catch((error: unknown) => {
        (download.readableStreamBody as { destroy?(): void } | undefined)?.destroy?.();
        throw error;
      });
      if (download.readableStreamBody) await pipeline(download.readableStreamBody, output.createWriteStream());
      else await output.close();
    }
  } catch (error) {
    if (error instanceof ResourceFileError) throw error;
    const status = (error as { statusCode?: number }).statusCode ?? 0;
    throw new ResourceFileError(
      status === 403 ? "ResourceContainerAccessDenied" : codeForStatus(status),
      `Downloading container ${redact(client.url)} failed: ${(error as { code?: string }).code ?? status}.`,
    );
  }
}

/**
 * Downloads a task's resource files into its working directory (relative to the node root), on
 * the host side of the bind mount, never outside the node root.
 */
export async function downloadResourceFiles(files: readonly ResourceFile[], root: NodeRootFs, workingDir: string, linkedStorage: BlobStorage): Promise<void> {
  for (const file of files) {
    if (file.httpUrl) {
      await downloadUrl(file.httpUrl, root, resolveInside(workingDir, file.filePath ?? ""), file.fileMode);
    } else if (file.storageContainerUrl) {
      await downloadContainer(new ContainerClient(file.storageContainerUrl), file, root, workingDir);
    } else if (file.autoStorageContainerName) {
      const sas = linkedStorage.containerSasUrl(file.autoStorageContainerName, "rl", new Date(Date.now() + 3_600_000));
      await downloadContainer(new ContainerClient(sas), file, root, workingDir);
    }
  }
}
