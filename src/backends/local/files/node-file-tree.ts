import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { BatchErrors } from "../../../core/batch-errors.js";
import type { NodeFile } from "../../../core/models/index.js";

/**
 * Files below a directory of a node, as the file endpoints show them: names relative to that
 * directory with `/`, Linux file modes, no creation time.
 */
export class NodeFileTree {
  constructor(
    private readonly root: string,
    /** The URL the files' `url` starts with (…/files). */
    private readonly baseUrl: string,
  ) {}

  private resolve(filePath: string): string {
    const target = path.resolve(this.root, filePath.replace(/^\/+/, ""));
    if (target !== this.root && !target.startsWith(this.root + path.sep)) throw BatchErrors.fileNotFound(filePath);
    return target;
  }

  private async describe(name: string, absolute: string): Promise<NodeFile> {
    const info = await stat(absolute);
    return {
      name,
      url: `${this.baseUrl}/${name.split("/").map(encodeURIComponent).join("/")}`,
      isDirectory: info.isDirectory(),
      properties: {
        lastModified: info.mtime.toISOString(),
        contentLength: info.isDirectory() ? 0 : info.size,
        contentType: "application/octet-stream",
        fileMode: `0${(info.mode & 0o777).toString(8)}`,
      },
    };
  }

  async list(recursive: boolean): Promise<NodeFile[]> {
    const files: NodeFile[] = [];
    const visit = async (relative: string): Promise<void> => {
      const entries = await readdir(path.join(this.root, relative), { withFileTypes: true }).catch(() => []);
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const name = relative ? `${relative}/${entry.name}` : entry.name;
        files.push(await this.describe(name, path.join(this.root, name)));
        if (recursive && entry.isDirectory()) await visit(name);
      }
    };
    await visit("");
    return files;
  }

  async properties(filePath: string): Promise<NodeFile> {
    try {
      return await this.describe(filePath.replace(/^\/+/, ""), this.resolve(filePath));
    } catch {
      throw BatchErrors.fileNotFound(filePath);
    }
  }

  async read(filePath: string): Promise<Buffer> {
    try {
      return await readFile(this.resolve(filePath));
    } catch {
      throw BatchErrors.fileNotFound(filePath);
    }
  }
}
