import { execFileSync } from "node:child_process";
import { chown, lstat, mkdir, readdir, readFile, realpath, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NodeRootFs, NotARegularFileError, OutsideNodeRootError } from "../../../../src/backends/local/files/node-root-fs.js";
import { escapeFixture, SECRET, type EscapeFixture } from "./escape-fixture.js";

let fx: EscapeFixture;
let fs: NodeRootFs;

beforeEach(async () => {
  fx = await escapeFixture();
  fs = new NodeRootFs(fx.root);
  await mkdir(fx.at("wd"), { recursive: true });
  await writeFile(fx.at("wd/own.txt"), "own\n");
});

afterEach(async () => {
  await fx.cleanup();
});

async function readVia(relative: string): Promise<string> {
  const handle = await fs.openFile(relative);
  try {
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}

describe("reading", () => {
  it("refuses a link to a host file, absolute or relative, and one to a sibling sharing the root's prefix", async () => {
    await symlink(path.join(fx.outside, "secret.txt"), fx.at("wd/absolute"));
    await symlink("../../outside/secret.txt", fx.at("wd/relative"));
    await symlink(path.join(fx.sibling, "secret.txt"), fx.at("wd/sibling"));
    for (const name of ["absolute", "relative", "sibling"]) {
      await expect(readVia(`wd/${name}`), name).rejects.toBeInstanceOf(OutsideNodeRootError);
      await expect(fs.stat(`wd/${name}`), name).rejects.toBeInstanceOf(OutsideNodeRootError);
    }
  });

  it("refuses a file below a directory that is a link out of the root", async () => {
    await symlink(fx.outside, fx.at("wd/dir"));
    await expect(readVia("wd/dir/secret.txt")).rejects.toBeInstanceOf(OutsideNodeRootError);
  });

  it("refuses paths whose text leaves the root", async () => {
    for (const relative of ["../outside/secret.txt", "wd/../../outside/secret.txt", "/etc/passwd", "..", "wd/../../node-evil/secret.txt"]) {
      await expect(readVia(relative), relative).rejects.toBeInstanceOf(OutsideNodeRootError);
    }
  });

  it("follows a link whose target stays inside the root", async () => {
    await symlink("own.txt", fx.at("wd/inside"));
    await symlink("..", fx.at("wd/up"));
    expect(await readVia("wd/inside")).toBe("own\n");
    expect(await readVia("wd/up/wd/own.txt")).toBe("own\n");
  });

  it("never opens a FIFO or a device: they are not regular files", async () => {
    execFileSync("mkfifo", [fx.at("wd/fifo")]);
    await expect(readVia("wd/fifo")).rejects.toBeInstanceOf(NotARegularFileError);
    let device = true;
    try {
      execFileSync("mknod", [fx.at("wd/null"), "c", "1", "3"], { stdio: "ignore" });
    } catch {
      device = false; // not root, or no mknod: nothing to check
    }
    if (device) await expect(readVia("wd/null")).rejects.toBeInstanceOf(NotARegularFileError);
  });

  it("lists links out of the root as escaping, without describing their target", async () => {
    await symlink(path.join(fx.outside, "secret.txt"), fx.at("wd/link"));
    await symlink("own.txt", fx.at("wd/inside"));
    const entries = Object.fromEntries((await fs.readDirectory("wd")).map((e) => [e.name, e]));
    expect(entries.link).toEqual({ name: "link", isLink: true, escapes: true });
    expect(entries.inside).toMatchObject({ isLink: true, escapes: false });
    expect(entries.inside?.stats?.isFile()).toBe(true);
    await symlink(fx.outside, fx.at("outside-dir"));
    await expect(fs.readDirectory("outside-dir")).rejects.toBeInstanceOf(OutsideNodeRootError);
  });
});

describe("creating", () => {
  it("creates a file fresh where a task left a link to a host file, leaving the host file alone", async () => {
    await symlink(path.join(fx.outside, "secret.txt"), fx.at("wd/stdout.txt"));
    const handle = await fs.createFresh("wd/stdout.txt");
    await handle.writeFile("captured\n");
    await handle.close();
    expect((await lstat(fx.at("wd/stdout.txt"))).isFile()).toBe(true);
    expect(await readFile(fx.at("wd/stdout.txt"), "utf8")).toBe("captured\n");
    expect(await fx.secretsIntact()).toBe(true);
  });

  it("replaces a FIFO without opening it", async () => {
    execFileSync("mkfifo", [fx.at("wd/stdout.txt")]);
    await (await fs.createFresh("wd/stdout.txt")).close();
    expect((await lstat(fx.at("wd/stdout.txt"))).isFile()).toBe(true);
  });

  it("creates nothing when the parent directory is a link out of the root", async () => {
    await symlink(fx.outside, fx.at("task"));
    await expect(fs.createFresh("task/stdout.txt")).rejects.toBeInstanceOf(OutsideNodeRootError);
    expect(await readdir(fx.outside)).toEqual(["secret.txt"]);
  });

  it("makes directories only inside the root", async () => {
    await symlink(fx.outside, fx.at("wd/dir"));
    await expect(fs.mkdir("wd/dir/sub/deeper")).rejects.toBeInstanceOf(OutsideNodeRootError);
    await expect(fs.mkdir("../outside/sub")).rejects.toBeInstanceOf(OutsideNodeRootError);
    expect(await readdir(fx.outside)).toEqual(["secret.txt"]);
    expect(await fs.mkdir("wd/new/sub")).toBe(path.join(await realpath(fx.root), "wd/new/sub"));
  });

  it("changes modes only inside the root", async () => {
    await symlink(path.join(fx.outside, "secret.txt"), fx.at("wd/link"));
    await expect(fs.chmod("wd/link", 0o777)).rejects.toBeInstanceOf(OutsideNodeRootError);
    expect((await stat(path.join(fx.outside, "secret.txt"))).mode & 0o777).toBe(0o600);
  });
});

describe("giving a tree to the task user", () => {
  it("re-owns links themselves and never what they point to, nor what is below a linked directory", async () => {
    await chown(path.join(fx.outside, "secret.txt"), 0, 0);
    await chown(fx.outside, 0, 0);
    await symlink(path.join(fx.outside, "secret.txt"), fx.at("wd/file-link"));
    await symlink(fx.outside, fx.at("wd/dir-link"));
    await fs.chownTree("wd", 1001, 1001);
    expect((await stat(fx.at("wd/own.txt"))).uid).toBe(1001);
    expect((await lstat(fx.at("wd/file-link"))).uid).toBe(1001);
    expect((await stat(path.join(fx.outside, "secret.txt"))).uid).toBe(0);
    expect((await stat(fx.outside)).uid).toBe(0);
  });

  it("refuses a task directory that is itself a link out of the root", async () => {
    await chown(fx.outside, 0, 0);
    await symlink(fx.outside, fx.at("task"));
    await expect(fs.chownTree("task", 1001, 1001)).rejects.toBeInstanceOf(OutsideNodeRootError);
    expect((await stat(fx.outside)).uid).toBe(0);
  });
});

describe("removing", () => {
  it("removes links, not what they point to", async () => {
    await mkdir(fx.at("workitems/job/task"), { recursive: true });
    await symlink(fx.outside, fx.at("workitems/job/task/dir-link"));
    await symlink(path.join(fx.outside, "secret.txt"), fx.at("workitems/job/task/file-link"));
    await symlink(fx.outside, fx.at("workitems/linked-job"));
    await fs.remove("workitems/job");
    await fs.remove("workitems/linked-job");
    expect(await readdir(fx.at("workitems"))).toEqual([]);
    expect(await fx.secretsIntact()).toBe(true);
  });

  it("refuses to remove through a directory that is a link out of the root", async () => {
    await mkdir(path.join(fx.outside, "job"));
    await writeFile(path.join(fx.outside, "job", "keep.txt"), SECRET);
    await symlink(fx.outside, fx.at("workitems"));
    await expect(fs.remove("workitems/job")).rejects.toBeInstanceOf(OutsideNodeRootError);
    expect(await readFile(path.join(fx.outside, "job", "keep.txt"), "utf8")).toBe(SECRET);
  });
});
