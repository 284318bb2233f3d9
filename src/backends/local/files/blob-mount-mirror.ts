/**
 * A blob container "mounted" on a node as Malachite does `azureBlobFileSystemConfiguration`: a
 * read-write local mirror instead of blobfuse. The container's blobs are downloaded into the
 * mount directory when the node starts; after each task that ran on the node, the files it
 * created or changed there are uploaded and the blobs of the files it deleted are deleted. Other
 * nodes see those changes when they start (blobfuse's caches also delay them, by default 2 minutes).
 * All file work is inside the node root (NodeRootFs): a link a task planted is never followed out.
 */
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { ContainerClient } from "@azure/storage-blob";
import type { NodeRootFs } from "./node-root-fs.js";

interface FileState {
  size: number;
  mtimeMs: number;
}

/** Regular files below `dir` (relative to the root), by path relative to `dir`; links are not followed. */
async function filesBelow(root: NodeRootFs, dir: string, prefix = ""): Promise<Map<string, FileState>> {
  const files = new Map<string, FileState>();
  const entries = await root.readDirectory(path.posix.join(dir, prefix)).catch(() => []);
  for (const entry of entries) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isLink || !entry.stats) continue;
    if (entry.stats.isDirectory()) for (const [name, state] of await filesBelow(root, dir, relative)) files.set(name, state);
    else if (entry.stats.isFile()) files.set(relative, { size: entry.stats.size, mtimeMs: entry.stats.mtimeMs });
  }
  return files;
}

export class BlobMountMirror {
  /** What the directory held after the last download or sync: the state the container has. */
  private synced = new Map<string, FileState>();
  /** Syncs of one mirror run one at a time (tasks on a node end concurrently). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly root: NodeRootFs,
    /** The mount directory relative to the node root: `fsmounts/<relativeMountPath>`. */
    readonly dir: string,
    /** The container, with credentials valid now (a SAS is renewed between uses). */
    private readonly containerNow: () => ContainerClient,
  ) {}

  /** Downloads every blob of the container into the mount directory (created, mode 0777 as blobfuse's `allow_other`). */
  async download(): Promise<void> {
    await this.root.mkdir(this.dir);
    await this.root.chmod(this.dir, 0o777);
    const container = this.containerNow();
    for await (const blob of container.listBlobsFlat()) {
      const target = path.posix.join(this.dir, blob.name);
      if (!target.startsWith(`${this.dir}/`) || blob.name.endsWith("/")) continue;
      await this.openDirectory(path.posix.dirname(target));
      const response = await container.getBlobClient(blob.name).download();
      const file = await this.root.createFresh(target, 0o666);
      // On the descriptor itself: the mode as given, not filtered by the umask.
      await file.chmod(0o666).catch(async (error: unknown) => {
        await file.close();
        throw error;
      });
      // The stream closes the file.
      if (response.readableStreamBody) await pipeline(response.readableStreamBody, file.createWriteStream());
      else await file.close();
    }
    this.synced = await filesBelow(this.root, this.dir);
  }

  /** Creates a directory below the mount directory, each level open to every user (blobfuse's `allow_other`). */
  private async openDirectory(dir: string): Promise<void> {
    let level = this.dir;
    for (const part of path.posix.relative(this.dir, dir).split("/").filter(Boolean)) {
      level = path.posix.join(level, part);
      await this.root.mkdir(level);
      await this.root.chmod(level, 0o777);
    }
  }

  /** Uploads new and changed files, deletes the blobs of deleted ones; resolves with what it did. */
  sync(): Promise<{ uploaded: string[]; deleted: string[] }> {
    const run = this.queue.then(() => this.syncNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async syncNow(): Promise<{ uploaded: string[]; deleted: string[] }> {
    const now = await filesBelow(this.root, this.dir);
    const container = this.containerNow();
    const uploaded: string[] = [];
    const deleted: string[] = [];
    for (const [name, state] of now) {
      const before = this.synced.get(name);
      if (before && before.size === state.size && before.mtimeMs === state.mtimeMs) continue;
      const file = await this.root.openFile(path.posix.join(this.dir, name));
      // The stream closes the file, also when the upload fails.
      await container.getBlockBlobClient(name).uploadStream(file.createReadStream());
      uploaded.push(name);
    }
    for (const name of this.synced.keys()) {
      if (now.has(name)) continue;
      await container.getBlobClient(name).deleteIfExists();
      deleted.push(name);
    }
    this.synced = now;
    return { uploaded, deleted };
  }
}
