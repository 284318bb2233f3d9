import type { WriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import path from "node:path";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { insideByText, type NodeRootFs } from "../files/node-root-fs.js";

/** A zip that cannot be unpacked safely: an entry that leaves its directory, a link, a damaged archive. */
export class UnsafeZipError extends Error {
  override readonly name = "UnsafeZipError";
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

function openZip(zipPath: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    // yauzl refuses absolute names, `..` segments and backslashes itself (validateFileName).
    yauzl.open(zipPath, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (error, zip) => {
      if (error) reject(new UnsafeZipError(`${path.basename(zipPath)} is not a readable zip file: ${error.message}`));
      else resolve(zip);
    });
  });
}

/** The entries of a zip, one at a time, so each is handled before the next is read. */
async function* entriesOf(zip: ZipFile): AsyncGenerator<Entry> {
  let settle: ((entry: Entry | undefined) => void) | undefined;
  let failure: Error | undefined;
  zip.on("entry", (entry: Entry) => settle?.(entry));
  zip.on("end", () => settle?.(undefined));
  zip.on("error", (error: Error) => {
    failure = error;
    settle?.(undefined);
  });
  for (;;) {
    const next = new Promise<Entry | undefined>((resolve) => (settle = resolve));
    zip.readEntry();
    const entry = await next;
    if (failure) throw new UnsafeZipError(`the zip file cannot be unpacked safely: ${failure.message}`);
    if (!entry) return;
    yield entry;
  }
}

function openEntry(zip: ZipFile, entry: Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))));
}

/** What an entry is, refused unless a plain file or directory whose name stays inside the target. */
function checkedEntry(entry: Entry): { relative: string; isDirectory: boolean; mode: number } {
  const unixMode = (entry.externalFileAttributes >>> 16) & 0xffff;
  const type = unixMode & S_IFMT;
  if (type === S_IFLNK)
    throw new UnsafeZipError(`the zip entry '${entry.fileName}' is a symbolic link; application packages may hold files and directories only`);
  if (type !== 0 && type !== S_IFDIR && type !== 0o100000) throw new UnsafeZipError(`the zip entry '${entry.fileName}' is not a file or directory`);
  const isDirectory = entry.fileName.endsWith("/") || type === S_IFDIR;
  let relative: string;
  try {
    relative = insideByText(entry.fileName);
  } catch {
    throw new UnsafeZipError(`the zip entry '${entry.fileName}' would be written outside its directory`);
  }
  if (relative === "" && !isDirectory) throw new UnsafeZipError(`the zip entry '${entry.fileName}' has no name`);
  if (entry.isEncrypted()) throw new UnsafeZipError(`the zip entry '${entry.fileName}' is encrypted`);
  // Executable bits survive (programs in packages must run); everything is readable by every task user.
  const mode = isDirectory ? 0o755 : unixMode & 0o111 ? 0o755 : 0o644;
  return { relative, isDirectory, mode };
}

/** Checks every entry of a zip without writing anything: what `extractZip` would refuse, refused now. */
export async function checkZip(zipPath: string): Promise<number> {
  const zip = await openZip(zipPath);
  let count = 0;
  try {
    for await (const entry of entriesOf(zip)) {
      checkedEntry(entry);
      count++;
    }
  } finally {
    zip.close();
  }
  return count;
}

/**
 * Unpacks a zip into `targetDir` (relative to the node root) through NodeRootFs, so nothing is
 * written outside the node root even if a task planted links: entries whose names leave the
 * target (zip-slip), links and other special entries are refused before anything of them is
 * written. Resolves with the number of files written.
 */
export async function extractZip(zipPath: string, root: NodeRootFs, targetDir: string): Promise<number> {
  const zip = await openZip(zipPath);
  let files = 0;
  try {
    await root.mkdir(targetDir);
    for await (const entry of entriesOf(zip)) {
      const { relative, isDirectory, mode } = checkedEntry(entry);
      const destination = path.posix.join(targetDir, relative);
      if (isDirectory) {
        await root.mkdir(destination);
        continue;
      }
      await root.mkdir(path.posix.dirname(destination));
      const handle = await root.createFresh(destination, mode);
      // The write stream owns the handle and closes it, also when the copy fails.
      let stream: WriteStream | undefined;
      try {
        await handle.chmod(mode);
        const source = await openEntry(zip, entry);
        stream = handle.createWriteStream();
        await pipeline(source, stream);
      } finally {
        if (!stream) await handle.close();
      }
      files++;
    }
  } finally {
    zip.close();
  }
  return files;
}
