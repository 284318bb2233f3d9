/**
 * Finding 1 of issue 8: a non-admin task replaces its stdout.txt with a link to a host file; on
 * the retry the emulator, root on the host, opened stdout.txt for writing and followed the link.
 */
import { lstat, mkdir, readdir, readFile, symlink } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openOutputPair } from "../../../../src/backends/local/docker/exec-output.js";
import { OutsideNodeRootError } from "../../../../src/backends/local/files/node-root-fs.js";
import { escapeFixture, type EscapeFixture } from "./escape-fixture.js";

let fx: EscapeFixture;

beforeEach(async () => {
  fx = await escapeFixture();
  await mkdir(fx.at("workitems/job/job-1/task"), { recursive: true });
});

afterEach(async () => {
  await fx.cleanup();
});

async function capture(spec: { stdoutPath: string; stderrPath: string; hostRoot?: string }, text: string): Promise<void> {
  const output = await openOutputPair(spec);
  output.stdout.stream.write(text);
  output.stderr.stream.write(text);
  await output.close();
}

const task = (name: string) => fx.at(path.join("workitems/job/job-1/task", name));

describe("stdout.txt and stderr.txt on the host", () => {
  it("are created fresh where the task left links to host files, which stay unchanged", async () => {
    await symlink(path.join(fx.outside, "secret.txt"), task("stdout.txt"));
    await symlink(path.join(fx.sibling, "secret.txt"), task("stderr.txt"));
    await capture({ stdoutPath: task("stdout.txt"), stderrPath: task("stderr.txt"), hostRoot: fx.root }, "retry output\n");
    expect(await fx.secretsIntact()).toBe(true);
    for (const name of ["stdout.txt", "stderr.txt"]) {
      expect((await lstat(task(name))).isFile(), name).toBe(true);
      expect(await readFile(task(name), "utf8")).toBe("retry output\n");
    }
  });

  it("are not followed through a link even without the node root", async () => {
    await symlink(path.join(fx.outside, "secret.txt"), task("stdout.txt"));
    await capture({ stdoutPath: task("stdout.txt"), stderrPath: task("stderr.txt") }, "x\n");
    expect(await fx.secretsIntact()).toBe(true);
  });

  it("are refused, and nothing is created, when the task directory is a link out of the node root", async () => {
    await symlink(fx.outside, fx.at("workitems/job/job-1/linked"));
    const linked = (name: string) => fx.at(path.join("workitems/job/job-1/linked", name));
    await expect(capture({ stdoutPath: linked("stdout.txt"), stderrPath: linked("stderr.txt"), hostRoot: fx.root }, "x\n")).rejects.toBeInstanceOf(
      OutsideNodeRootError,
    );
    expect(await readdir(fx.outside)).toEqual(["secret.txt"]);
  });

  it("are refused when their path leaves the node root by its text", async () => {
    const escaping = path.join(fx.root, "..", "outside", "secret.txt");
    await expect(capture({ stdoutPath: escaping, stderrPath: task("stderr.txt"), hostRoot: fx.root }, "x\n")).rejects.toBeInstanceOf(OutsideNodeRootError);
    expect(await fx.secretsIntact()).toBe(true);
  });
});
