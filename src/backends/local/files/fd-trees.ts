/**
 * Recursive work below a directory that is already open (and checked to be inside a node root):
 * every step names its entry relative to its parent's descriptor and never follows a symbolic
 * link, so nothing a task renames or swaps for a link meanwhile can lead the walk anywhere else.
 */
import { chmod, chown, lchown, open, readdir, rmdir, unlink, type FileHandle } from "node:fs/promises";
import { fdPath, O_DIRECTORY, O_NOFOLLOW, O_PATH } from "./proc-fd.js";

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

function ignoreGone(error: unknown): void {
  if (code(error) !== "ENOENT") throw error;
}

/** The subdirectory `name`, if it is one and not a link to one. */
async function openSubdirectory(dir: FileHandle, name: string): Promise<FileHandle | undefined> {
  try {
    return await open(fdPath(dir, name), O_PATH | O_DIRECTORY | O_NOFOLLOW);
  } catch (error) {
    // A link (ENOTDIR with O_NOFOLLOW), a file, or gone meanwhile: not a directory to descend into.
    if (["ENOTDIR", "ELOOP", "ENOENT"].includes(code(error) ?? "")) return undefined;
    throw error;
  }
}

/** Removes `name` from the directory whatever it is (a directory with all below it); a link is removed, not followed. */
export async function removeEntry(dir: FileHandle, name: string): Promise<void> {
  try {
    await unlink(fdPath(dir, name));
    return;
  } catch (error) {
    if (code(error) === "ENOENT") return;
    if (code(error) !== "EISDIR") throw error;
  }
  const child = await openSubdirectory(dir, name);
  if (!child) return unlink(fdPath(dir, name)).catch(ignoreGone); // swapped for a link or file meanwhile
  try {
    for (const entry of await readdir(fdPath(child))) await removeEntry(child, entry);
  } finally {
    await child.close();
  }
  await rmdir(fdPath(dir, name)).catch(ignoreGone);
}

/**
 * Gives the directory and everything below it to `uid:gid`. Links are re-owned themselves
 * (lchown), never followed. Where ownership cannot change (the emulator not running as root),
 * the entry is made world-writable instead, as before; a link's mode means nothing, so links are skipped.
 */
export async function chownTree(dir: FileHandle, uid: number, gid: number): Promise<void> {
  // chown, not lchown: `/proc/self/fd/N` is the kernel's link to the open directory itself.
  await chown(fdPath(dir), uid, gid).catch(() => chmod(fdPath(dir), 0o777).catch(() => undefined));
  for (const entry of await readdir(fdPath(dir), { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory()) {
      const child = await openSubdirectory(dir, entry.name);
      if (!child) continue;
      try {
        await chownTree(child, uid, gid);
      } finally {
        await child.close();
      }
    } else if (!entry.isSymbolicLink()) {
      await lchown(fdPath(dir, entry.name), uid, gid).catch(() => chmodNotFollowing(dir, entry.name));
    } else {
      await lchown(fdPath(dir, entry.name), uid, gid).catch(() => undefined);
    }
  }
}

/** chmod of `name` itself: pinned with O_PATH|O_NOFOLLOW, so a link swapped in is not followed. */
async function chmodNotFollowing(dir: FileHandle, name: string): Promise<void> {
  const entry = await open(fdPath(dir, name), O_PATH | O_NOFOLLOW).catch(() => undefined);
  if (!entry) return;
  try {
    if (!(await entry.stat()).isSymbolicLink()) await chmod(fdPath(entry), 0o777);
  } catch {
    // Best effort, as the ownership it stands in for.
  } finally {
    await entry.close();
  }
}
