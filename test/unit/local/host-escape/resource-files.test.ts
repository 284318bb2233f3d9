/**
 * Resource files are written on the host into the working directory, which an earlier start task
 * (admin: root in its container) may have filled with links: downloads never write through one
 * that leads out of the node root, and never change the mode of a host file.
 */
import { lstat, mkdir, readdir, readFile, stat, symlink } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BlobStorage } from "../../../../src/core/backend.js";
import { downloadResourceFiles, ResourceFileError } from "../../../../src/backends/local/execution/resource-files.js";
import { NodeRootFs } from "../../../../src/backends/local/files/node-root-fs.js";
import { HttpFileServer } from "../../../support/http-file-server.js";
import { escapeFixture, type EscapeFixture } from "./escape-fixture.js";

let server: HttpFileServer;
let fx: EscapeFixture;
const wd = "startup/wd";
const noStorage = {} as BlobStorage;

beforeAll(async () => {
  server = await HttpFileServer.start({ "/f.txt": "downloaded\n" });
});

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  fx = await escapeFixture();
  await mkdir(fx.at(wd), { recursive: true });
});

afterEach(async () => {
  await fx.cleanup();
});

async function download(filePath: string): Promise<void> {
  await downloadResourceFiles([{ httpUrl: `${server.url}/f.txt`, filePath }], new NodeRootFs(fx.root), wd, noStorage);
}

describe("resource files", () => {
  it("are not written through a directory that is a link out of the node root", async () => {
    await symlink(fx.outside, fx.at(`${wd}/dir`));
    const error = await download("dir/f.txt").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceFileError);
    expect((error as ResourceFileError).code).toBe("ResourceDirectoryCreateFailed");
    await expect(download("dir/deeper/f.txt")).rejects.toMatchObject({ code: "ResourceDirectoryCreateFailed" });
    expect(await readdir(fx.outside)).toEqual(["secret.txt"]);
  });

  it("replace a link to a host file instead of writing (or chmod-ing) through it", async () => {
    await symlink(path.join(fx.outside, "secret.txt"), fx.at(`${wd}/f.txt`));
    await download("f.txt");
    expect(await fx.secretsIntact()).toBe(true);
    expect((await stat(path.join(fx.outside, "secret.txt"))).mode & 0o777).toBe(0o600);
    expect((await lstat(fx.at(`${wd}/f.txt`))).isFile()).toBe(true);
    expect(await readFile(fx.at(`${wd}/f.txt`), "utf8")).toBe("downloaded\n");
    expect((await stat(fx.at(`${wd}/f.txt`))).mode & 0o777).toBe(0o770);
  });

  it("may not leave the working directory by their path", async () => {
    await expect(download("../../../outside/f.txt")).rejects.toMatchObject({ code: "BlobDownloadMiscError" });
    expect(await readdir(fx.outside)).toEqual(["secret.txt"]);
  });
});
