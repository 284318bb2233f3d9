/**
 * File delete (File_DeleteFromTask, File_DeleteFromComputeNode) on a tree a task shaped: a link is
 * removed as a link, never followed, whatever it points to; a path through a link out of the node
 * root, or climbing out with `..`, deletes nothing; host files stay intact.
 */
import { lstat, mkdir, readdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NodeFileTree } from "../../../../src/backends/local/files/node-file-tree.js";
import { NodeRootFs } from "../../../../src/backends/local/files/node-root-fs.js";
import { rejectionOf } from "../../../support/rejection-of.js";
import { escapeFixture, type EscapeFixture } from "./escape-fixture.js";

const TASK_DIR = "workitems/job/job-1/task";

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

describe("file delete on a node directory a task shaped", () => {
  let fx: EscapeFixture;
  let task: NodeFileTree;
  let node: NodeFileTree;

  beforeEach(async () => {
    fx = await escapeFixture();
    await mkdir(fx.at(`${TASK_DIR}/wd/sub`), { recursive: true });
    await writeFile(fx.at(`${TASK_DIR}/stdout.txt`), "out\n");
    await writeFile(fx.at("root-file.txt"), "in the node root\n");
    await symlink(path.join(fx.outside, "secret.txt"), fx.at(`${TASK_DIR}/wd/link`));
    await symlink(fx.outside, fx.at(`${TASK_DIR}/wd/dir-link`));
    await symlink("../../../../../../../node-evil", fx.at(`${TASK_DIR}/wd/sub/sibling-dir`));
    await symlink("../../../../../root-file.txt", fx.at(`${TASK_DIR}/wd/root-link`));
    const root = new NodeRootFs(fx.root);
    task = new NodeFileTree(root, TASK_DIR, "https://account/jobs/job/tasks/task/files");
    node = new NodeFileTree(root, "", "https://account/pools/p/nodes/n/files");
  });

  afterEach(async () => {
    expect(await fx.secretsIntact()).toBe(true);
    await fx.cleanup();
  });

  it("removes a link to a host file or directory as a link, recursive or not: the target stays", async () => {
    expect(await readdir(fx.at(`${TASK_DIR}/wd/sub/sibling-dir`))).toEqual(["secret.txt"]); // the link leads to the sibling
    await task.delete("wd/link", false);
    await task.delete("wd/dir-link", true);
    await task.delete("wd/sub/sibling-dir", true);
    expect(await exists(fx.at(`${TASK_DIR}/wd/link`))).toBe(false);
    expect(await exists(fx.at(`${TASK_DIR}/wd/dir-link`))).toBe(false);
    expect(await readdir(fx.outside)).toEqual(["secret.txt"]);
    expect(await readdir(fx.sibling)).toEqual(["secret.txt"]);
  });

  it("removes a link to a file inside the root as a link, not its target", async () => {
    await task.delete("wd/root-link", false);
    expect(await exists(fx.at(`${TASK_DIR}/wd/root-link`))).toBe(false);
    expect(await exists(fx.at("root-file.txt"))).toBe(true);
  });

  it("deletes nothing through a link out of the root: FileNotFound", async () => {
    expect((await rejectionOf(task.delete("wd/dir-link/secret.txt", false))).code).toBe("FileNotFound");
    expect((await rejectionOf(task.delete("wd/sub/sibling-dir/secret.txt", true))).code).toBe("FileNotFound");
    expect((await rejectionOf(node.delete(`${TASK_DIR}/wd/dir-link/secret.txt`, true))).code).toBe("FileNotFound");
  });

  it("refuses paths that climb out of the task directory or the node root", async () => {
    for (const name of ["../../../../../outside/secret.txt", "../other", "/etc/passwd", "wd/../../../../../../outside"]) {
      expect((await rejectionOf(task.delete(name, true))).code, name).toBe("FileNotFound");
    }
    for (const name of ["../outside/secret.txt", "..", "", "."]) {
      expect((await rejectionOf(node.delete(name, true))).code, name).toBe("FileNotFound");
    }
    expect((await rejectionOf(task.delete(".", true))).code).toBe("FileNotFound");
    expect(await exists(fx.at(TASK_DIR))).toBe(true);
  });

  it("a directory only with recursive, unless empty; a file, a missing path", async () => {
    const notEmpty = await rejectionOf(task.delete("wd", false));
    expect([notEmpty.statusCode, notEmpty.code]).toEqual([409, "OperationInvalidForCurrentState"]);
    await task.delete("stdout.txt", false);
    expect((await rejectionOf(task.delete("stdout.txt", false))).code).toBe("FileNotFound");
    await mkdir(fx.at(`${TASK_DIR}/empty`));
    await task.delete("empty", false);
    await node.delete(`${TASK_DIR}/wd`, true);
    expect(await readdir(fx.at(TASK_DIR))).toEqual([]);
  });
});
