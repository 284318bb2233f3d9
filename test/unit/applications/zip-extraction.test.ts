/**
 * Unpacking application packages never writes outside the package's directory: names that leave
 * it (zip-slip), absolute names, links in the archive, and links a task planted in the node's
 * directory are all refused before anything of them is written.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApplicationStore } from "../../../src/backends/local/applications/application-store.js";
import { checkZip, extractZip, UnsafeZipError } from "../../../src/backends/local/applications/zip-extraction.js";
import { NodeRootFs, OutsideNodeRootError } from "../../../src/backends/local/files/node-root-fs.js";
import { rejectionOf } from "../../support/rejection-of.js";
import { writeZip } from "../../support/zip-file.js";

let work: string;
let nodeRoot: string;
let outside: string;

beforeEach(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "malachite-zip-"));
  nodeRoot = path.join(work, "node");
  outside = path.join(work, "outside");
  await mkdir(path.join(nodeRoot, "applications"), { recursive: true });
  await mkdir(outside);
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  if (!outcome) throw new Error("expected a failure");
  return outcome;
}

describe("extractZip", () => {
  it("unpacks files and directories, keeping executable bits", async () => {
    const zip = await writeZip(path.join(work, "ok.zip"), [
      { name: "bin/", mode: 0o040755 },
      { name: "bin/run.sh", content: "#!/bin/sh\n", mode: 0o100755 },
      { name: "share/data.txt", content: "data" },
    ]);
    expect(await extractZip(zip, new NodeRootFs(nodeRoot), "applications/tool#1")).toBe(2);
    expect(await readFile(path.join(nodeRoot, "applications/tool#1/share/data.txt"), "utf8")).toBe("data");
  });

  it.each([
    ["a name with .. (zip-slip)", "../../outside/evil.txt"],
    ["a name with .. inside it", "bin/../../../outside/evil.txt"],
    ["an absolute name", "/tmp/evil.txt"],
    ["a Windows separator", "..\\..\\outside\\evil.txt"],
  ])("refuses %s, writing nothing outside", async (_, name) => {
    const zip = await writeZip(path.join(work, "slip.zip"), [{ name, content: "evil" }]);
    const error = await failureOf(extractZip(zip, new NodeRootFs(nodeRoot), "applications/tool#1"));
    expect(error).toBeInstanceOf(UnsafeZipError);
    expect(await readdir(outside)).toEqual([]);
    await expect(checkZip(zip)).rejects.toBeInstanceOf(UnsafeZipError);
  });

  it("refuses a symbolic link in the archive, and what follows it is not written", async () => {
    const zip = await writeZip(path.join(work, "link.zip"), [
      { name: "escape", content: outside, mode: 0o120777 },
      { name: "escape/evil.txt", content: "evil" },
    ]);
    const error = await failureOf(extractZip(zip, new NodeRootFs(nodeRoot), "applications/tool#1"));
    expect(error).toBeInstanceOf(UnsafeZipError);
    expect(error.message).toContain("symbolic link");
    expect(await readdir(outside)).toEqual([]);
  });

  it("does not follow a link a task planted in the node's applications directory", async () => {
    await symlink(outside, path.join(nodeRoot, "applications", "tool#1"));
    const zip = await writeZip(path.join(work, "ok.zip"), [{ name: "evil.txt", content: "evil" }]);
    const error = await failureOf(extractZip(zip, new NodeRootFs(nodeRoot), "applications/tool#1"));
    expect(error).toBeInstanceOf(OutsideNodeRootError);
    expect(await readdir(outside)).toEqual([]);
  });

  it("refuses a file that is no zip, and a missing one", async () => {
    const notZip = path.join(work, "not.zip");
    await writeFile(notZip, "this is no zip file");
    await expect(checkZip(notZip)).rejects.toBeInstanceOf(UnsafeZipError);
    await expect(checkZip(path.join(work, "missing.zip"))).rejects.toBeInstanceOf(UnsafeZipError);
  });
});

describe("ApplicationStore.add", () => {
  it("refuses an unsafe zip and keeps nothing of it", async () => {
    const store = ApplicationStore.forDataDir(path.join(work, "data"));
    const zip = await writeZip(path.join(work, "slip.zip"), [{ name: "../evil.txt", content: "evil" }]);
    await expect(store.add("tool", "1", zip)).rejects.toBeInstanceOf(UnsafeZipError);
    expect(await store.list()).toEqual([]);
  });

  it("refuses ids and versions that are no Batch names (and so no paths)", async () => {
    const store = ApplicationStore.forDataDir(path.join(work, "data"));
    const zip = await writeZip(path.join(work, "ok.zip"), [{ name: "a.txt", content: "a" }]);
    for (const [id, version] of [
      ["../x", "1"],
      ["tool", ".."],
      ["tool", "a/b"],
      ["", "1"],
    ] as const) {
      const error = await rejectionOf(store.add(id, version, zip));
      expect(error.code, `${id} ${version}`).toBe("InvalidPropertyValue");
    }
  });
});
