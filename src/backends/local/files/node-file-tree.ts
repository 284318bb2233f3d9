import path from "node:path";
import type { Stats } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { buffer } from "node:stream/consumers";
import { BatchErrors } from "../../../core/batch-errors.js";
import type { FileByteRange, NodeFile, NodeFileContent } from "../../../core/models/index.js";
import { fileRangeStream } from "./file-range-stream.js";
import { DirectoryNotEmptyError, type NodeRootFs } from "./node-root-fs.js";

/**
 * Files below a directory of a node, as the file endpoints show them: names relative to that
 * directory with `/`, Linux file modes, no creation time.
 *
 * Tasks shape these directories, so links are treated as follows (node-root-fs.ts does the work):
 * a link whose target is inside the node root reads and lists as its target, as on a real node,
 * but a listing never descends through a link (no cycles, no way around the checks); a link that
 * leads out of the node root, or nowhere, is FileNotFound and left out of listings, so nothing of
 * a host file, not even its size, is revealed. FIFOs and devices are never opened.
 * File paths arrive decoded once (by the router) and are never decoded again here.
 */
export class NodeFileTree {
  constructor(
    private readonly root: NodeRootFs,
    /** The tree's directory, relative to the node root ("" for the whole node). */
    private readonly dir: string,
    /** The URL the files' `url` starts with (…/files). */
    private readonly baseUrl: string,
  ) {}

  /** The path below the node root; FileNotFound when its text leaves this tree's directory. */
  private inTree(filePath: string): string {
    const name = path.posix.normalize(filePath.replace(/^\/+/, "") || ".");
    if (name === ".." || name.startsWith("../") || path.posix.isAbsolute(name)) throw BatchErrors.fileNotFound(filePath);
    return path.posix.join(this.dir, name);
  }

  private describe(name: string, info: Stats): NodeFile {
    return {
      name,
      url: `${this.baseUrl}/${name.split("/").map(encodeURIComponent).join("/")}`,
      isDirectory: info.isDirectory(),
      properties: {
        lastModified: info.mtime.toISOString(),
        contentLength: info.isFile() ? info.size : 0,
        contentType: "application/octet-stream",
        fileMode: `0${(info.mode & 0o777).toString(8)}`,
      },
    };
  }

  async list(recursive: boolean): Promise<NodeFile[]> {
    const files: NodeFile[] = [];
    const visit = async (relative: string): Promise<void> => {
      const entries = await this.root.readDirectory(path.posix.join(this.dir, relative)).catch(() => []);
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        if (!entry.stats) continue;
        const name = relative ? `${relative}/${entry.name}` : entry.name;
        files.push(this.describe(name, entry.stats));
        if (recursive && entry.stats.isDirectory() && !entry.isLink) await visit(name);
      }
    };
    await visit("");
    return files;
  }

  async properties(filePath: string): Promise<NodeFile> {
    const relative = this.inTree(filePath);
    try {
      return this.describe(filePath.replace(/^\/+/, ""), await this.root.stat(relative));
    } catch {
      throw BatchErrors.fileNotFound(filePath);
    }
  }

  /** The file's bytes (`range` of them) streamed from disk; FileNotFound for anything but a regular file inside the node root. */
  async open(filePath: string, range?: FileByteRange): Promise<NodeFileContent> {
    const relative = this.inTree(filePath);
    let file: FileHandle;
    try {
      file = await this.root.openFile(relative);
    } catch {
      throw BatchErrors.fileNotFound(filePath);
    }
    try {
      return await fileRangeStream(file, (await file.stat()).size, range);
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  /**
   * Deletes a file or directory of the tree (the tree's own directory is no file of it). A link is
   * removed itself, never followed; what is missing, or only reachable through a link out of the
   * node root, is FileNotFound.
   */
  async delete(filePath: string, recursive: boolean): Promise<void> {
    const relative = this.inTree(filePath);
    if (relative === this.dir) throw BatchErrors.fileNotFound(filePath);
    try {
      await this.root.deleteEntry(relative, recursive);
    } catch (error) {
      if (error instanceof DirectoryNotEmptyError) throw BatchErrors.directoryNotEmpty(filePath);
      throw BatchErrors.fileNotFound(filePath);
    }
  }

  /** The whole file in memory: for small files. */
  async read(filePath: string): Promise<Buffer> {
    return buffer((await this.open(filePath)).stream);
  }
}
