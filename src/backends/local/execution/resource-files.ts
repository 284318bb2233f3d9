import { createWriteStream } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ContainerClient } from "@azure/storage-blob";
import type { BlobStorage } from "../../../core/backend.js";
import type { ResourceFile, TaskFailureInfo } from "../../../core/models/index.js";

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

function resolveInside(workingDir: string, relative: string): string {
  const target = path.resolve(workingDir, relative);
  if (target !== workingDir && !target.startsWith(workingDir + path.sep)) {
    throw new ResourceFileError("BlobDownloadMiscError", `The file path '${relative}' leaves the working directory.`);
  }
  return target;
}

async function finish(target: string, fileMode: string | undefined): Promise<void> {
  await chmod(target, fileMode ? parseInt(fileMode, 8) : DEFAULT_FILE_MODE);
}

async function downloadUrl(url: string, target: string, fileMode: string | undefined): Promise<void> {
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
  await mkdir(path.dirname(target), { recursive: true });
  await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), createWriteStream(target));
  await finish(target, fileMode);
}

async function downloadContainer(client: ContainerClient, file: ResourceFile, workingDir: string): Promise<void> {
  const base = resolveInside(workingDir, file.filePath ?? ".");
  try {
    for await (const blob of client.listBlobsFlat({ prefix: file.blobPrefix })) {
      const target = resolveInside(base, blob.name);
      await mkdir(path.dirname(target), { recursive: true });
      await client.getBlobClient(blob.name).downloadToFile(target);
      await finish(target, file.fileMode);
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

/** Downloads a task's resource files into its working directory, on the host side of the bind mount. */
export async function downloadResourceFiles(
  files: readonly ResourceFile[],
  workingDir: string,
  linkedStorage: BlobStorage,
): Promise<void> {
  for (const file of files) {
    if (file.httpUrl) {
      await downloadUrl(file.httpUrl, resolveInside(workingDir, file.filePath ?? ""), file.fileMode);
    } else if (file.storageContainerUrl) {
      await downloadContainer(new ContainerClient(file.storageContainerUrl), file, workingDir);
    } else if (file.autoStorageContainerName) {
      const sas = linkedStorage.containerSasUrl(file.autoStorageContainerName, "rl", new Date(Date.now() + 3_600_000));
      await downloadContainer(new ContainerClient(sas), file, workingDir);
    }
  }
}
