/**
 * Host-side file work in a node's directory that cannot reach outside it. Everything below a node
 * root is the tasks' to shape (admin tasks are root in their container): any entry may be a
 * symbolic link, a FIFO or a device node planted so that the emulator, root on the host, reads,
 * writes, chowns or deletes a host file. So every operation here:
 *
 * - refuses a relative path whose text leaves the root (absolute, or `..` above it);
 * - names the object with O_PATH first (no side effect: a FIFO does not block, a device is not
 *   opened), asks the kernel where it really is, and refuses it unless that is inside the root's
 *   real path; only then opens it, through that same descriptor. The check is on the object itself,
 *   not on a path, so a link swapped in meanwhile cannot redirect it (no check-then-use race);
 * - follows a link only when its target is inside the root. A link's target is resolved on the
 *   host, where an absolute target names a host path (not the path it names in the container), so
 *   in practice relative links inside the node root work and absolute ones lead nowhere or out;
 * - creates files fresh: whatever a task left at the name is unlinked, and the file is created
 *   with O_CREAT|O_EXCL|O_NOFOLLOW in a directory that was checked first;
 * - walks trees (chown, remove) through directory descriptors, never through a link (fd-trees.ts).
 *
 * Linux only (O_PATH, /proc/self/fd), as the local backend is.
 */
import path from "node:path";
import { chmod, mkdir, open, readdir, realpath, rmdir, unlink, type FileHandle } from "node:fs/promises";
import type { Stats } from "node:fs";
import { chownTree, removeEntry } from "./fd-trees.js";
import { fdPath, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_PATH, O_RDONLY, O_WRONLY, realPathOf } from "./proc-fd.js";

/** A path that leaves the node root, by its text or through a link. */
export class OutsideNodeRootError extends Error {
  readonly code = "EOUTSIDEROOT";
  constructor(readonly relative: string) {
    super(`${JSON.stringify(relative)} is not inside the node's directory`);
    this.name = "OutsideNodeRootError";
  }
}

/** What was asked for is inside the root but not a regular file (a directory, a FIFO, a device, ...). */
export class NotARegularFileError extends Error {
  readonly code = "ENOTREG";
  constructor(readonly relative: string) {
    super(`${JSON.stringify(relative)} is not a regular file`);
    this.name = "NotARegularFileError";
  }
}

/** A directory asked to be deleted without `recursive` that still has entries. */
export class DirectoryNotEmptyError extends Error {
  readonly code = "ENOTEMPTY";
  constructor(readonly relative: string) {
    super(`${JSON.stringify(relative)} is a directory that is not empty`);
    this.name = "DirectoryNotEmptyError";
  }
}

/** An entry of a directory listing. */
export interface ContainedEntry {
  name: string;
  /** The entry itself is a symbolic link (`stats` describe its target): never descend through it. */
  isLink: boolean;
  /** What it is, a link followed while it stays inside the root; undefined if it leads out of the root or nowhere. */
  stats?: Stats;
  /** A link whose target is outside the root. */
  escapes: boolean;
}

/** An O_PATH descriptor of an object checked to be inside the root. */
interface Located {
  handle: FileHandle;
  stats: Stats;
  realPath: string;
}

/** `relative` normalized (`a/b`, "" for the root itself); throws when its text leaves the root. */
export function insideByText(relative: string): string {
  const normalized = path.posix.normalize(relative === "" ? "." : relative);
  if (path.posix.isAbsolute(normalized) || normalized === ".." || normalized.startsWith("../")) throw new OutsideNodeRootError(relative);
  return normalized === "." ? "" : normalized.replace(/\/+$/, "");
}

function isInside(realPath: string, realRoot: string): boolean {
  return realPath === realRoot || realPath.startsWith(realRoot.endsWith("/") ? realRoot : `${realRoot}/`);
}

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/** File operations bounded by one node root (a host directory the emulator created, so trusted itself). */
export class NodeRootFs {
  private realRoot?: Promise<string>;

  constructor(readonly root: string) {}

  private real(): Promise<string> {
    return (this.realRoot ??= realpath(this.root));
  }

  /** Checks what `handle` names is inside the root; closes it and throws if not. */
  private async verify(handle: FileHandle, relative: string): Promise<Located> {
    try {
      const [realPath, stats, realRoot] = await Promise.all([realPathOf(handle), handle.stat(), this.real()]);
      if (!isInside(realPath, realRoot)) throw new OutsideNodeRootError(relative);
      return { handle, stats, realPath };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Names `relative` with O_PATH, following links, and checks where it landed. */
  private async locate(relative: string, flags = 0): Promise<Located> {
    const normalized = insideByText(relative);
    return this.verify(await open(path.join(await this.real(), normalized), O_PATH | flags), relative);
  }

  /** What `relative` is, following links that stay inside the root. */
  async stat(relative: string): Promise<Stats> {
    const { handle, stats } = await this.locate(relative);
    await handle.close();
    return stats;
  }

  /** Opens a regular file inside the root for reading. */
  async openFile(relative: string): Promise<FileHandle> {
    const { handle, stats } = await this.locate(relative);
    try {
      if (!stats.isFile()) throw new NotARegularFileError(relative);
      // Re-opened through the checked descriptor: exactly the object that was checked.
      return await open(fdPath(handle), O_RDONLY);
    } finally {
      await handle.close();
    }
  }

  /** The entries of a directory inside the root, each described without leaving the root. */
  async readDirectory(relative: string): Promise<ContainedEntry[]> {
    const dir = await this.locate(relative, O_DIRECTORY);
    try {
      const entries: ContainedEntry[] = [];
      for (const dirent of await readdir(fdPath(dir.handle), { withFileTypes: true })) {
        entries.push(await this.describe(dir.handle, dirent.name, dirent.isSymbolicLink(), path.posix.join(relative, dirent.name)));
      }
      return entries;
    } finally {
      await dir.handle.close();
    }
  }

  private async describe(dir: FileHandle, name: string, isLink: boolean, relative: string): Promise<ContainedEntry> {
    let target: FileHandle;
    try {
      target = await open(fdPath(dir, name), O_PATH);
    } catch {
      return { name, isLink, escapes: false }; // gone meanwhile, or a link to nowhere
    }
    try {
      const { handle, stats } = await this.verify(target, relative);
      await handle.close();
      return { name, isLink, stats, escapes: false };
    } catch (error) {
      if (error instanceof OutsideNodeRootError) return { name, isLink, escapes: true };
      return { name, isLink, escapes: false };
    }
  }

  /**
   * `mkdir -p` inside the root: each level is created in its checked parent; an existing link on
   * the way is followed only while it stays inside. Resolves with the directory's real path.
   */
  async mkdir(relative: string): Promise<string> {
    let dir = await this.locate("", O_DIRECTORY);
    try {
      for (const part of insideByText(relative).split("/").filter(Boolean)) {
        await mkdir(fdPath(dir.handle, part)).catch((error: unknown) => {
          if (errnoCode(error) !== "EEXIST") throw error;
        });
        const next = await this.verify(await open(fdPath(dir.handle, part), O_PATH | O_DIRECTORY), relative);
        await dir.handle.close();
        dir = next;
      }
      return dir.realPath;
    } finally {
      await dir.handle.close();
    }
  }

  /** chmod of a file or directory inside the root (links inside followed); modes not filtered by the umask. */
  async chmod(relative: string, mode: number): Promise<void> {
    const { handle } = await this.locate(relative);
    try {
      await chmod(fdPath(handle), mode);
    } finally {
      await handle.close();
    }
  }

  /**
   * Creates `relative` as a new, empty file open for writing: whatever a task left at that name
   * (a link, a file, a FIFO) is removed first, never opened. A directory there is not removed (EISDIR).
   */
  async createFresh(relative: string, mode = 0o666): Promise<FileHandle> {
    const normalized = insideByText(relative);
    if (normalized === "") throw new NotARegularFileError(relative);
    const dir = await this.locate(path.posix.dirname(normalized), O_DIRECTORY);
    const name = path.posix.basename(normalized);
    try {
      for (let attempt = 1; ; attempt++) {
        await unlink(fdPath(dir.handle, name)).catch((error: unknown) => {
          if (errnoCode(error) !== "ENOENT") throw error;
        });
        try {
          return await open(fdPath(dir.handle, name), O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY, mode);
        } catch (error) {
          // Something was put back at the name meanwhile: remove it again, a few times at most.
          if (errnoCode(error) !== "EEXIST" || attempt >= 3) throw error;
        }
      }
    } finally {
      await dir.handle.close();
    }
  }

  /** `rm -rf` inside the root: a link (also at `relative` itself) is removed, never followed. */
  async remove(relative: string): Promise<void> {
    const normalized = insideByText(relative);
    if (normalized === "") throw new OutsideNodeRootError(relative); // the root itself is not the tasks' to remove
    let dir: Located;
    try {
      dir = await this.locate(path.posix.dirname(normalized), O_DIRECTORY);
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return;
      throw error;
    }
    try {
      await removeEntry(dir.handle, path.posix.basename(normalized));
    } finally {
      await dir.handle.close();
    }
  }

  /**
   * Deletes one entry as the file API does: a file, or a link itself (never what it points to); a
   * directory with everything below it if `recursive`, else only when empty (DirectoryNotEmptyError).
   * The directories on the way are followed only while they stay inside the root. Rejects with
   * ENOENT when there is nothing at `relative`.
   */
  async deleteEntry(relative: string, recursive: boolean): Promise<void> {
    const normalized = insideByText(relative);
    if (normalized === "") throw new OutsideNodeRootError(relative); // the root itself is not the tasks' to remove
    const dir = await this.locate(path.posix.dirname(normalized), O_DIRECTORY);
    const name = path.posix.basename(normalized);
    try {
      try {
        await unlink(fdPath(dir.handle, name));
        return;
      } catch (error) {
        if (errnoCode(error) !== "EISDIR") throw error;
      }
      if (recursive) return await removeEntry(dir.handle, name);
      await rmdir(fdPath(dir.handle, name)).catch((error: unknown) => {
        if (errnoCode(error) === "ENOTEMPTY" || errnoCode(error) === "EEXIST") throw new DirectoryNotEmptyError(relative);
        throw error;
      });
    } finally {
      await dir.handle.close();
    }
  }

  /** Gives a directory inside the root and everything below it to `uid:gid`, never through a link. */
  async chownTree(relative: string, uid: number, gid: number): Promise<void> {
    const dir = await this.locate(relative, O_DIRECTORY);
    try {
      await chownTree(dir.handle, uid, gid);
    } finally {
      await dir.handle.close();
    }
  }
}
