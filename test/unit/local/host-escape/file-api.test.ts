/**
 * Finding 2 of issue 8: a task plants a link in its working directory or the shared directory,
 * and the file endpoints served the host file it points to. Also paths that climb out with `..`,
 * percent-encoded or double-encoded.
 */
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { request } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeFileTree } from "../../../../src/backends/local/files/node-file-tree.js";
import { NodeRootFs } from "../../../../src/backends/local/files/node-root-fs.js";
import { BatchError } from "../../../../src/core/batch-error.js";
import { TestBed } from "../../../support/test-bed.js";
import { escapeFixture, SECRET, type EscapeFixture } from "./escape-fixture.js";

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof BatchError)) throw new Error(`expected a BatchError, got ${String(error)}`);
  return error.code;
}

describe("NodeFileTree", () => {
  let fx: EscapeFixture;
  let tree: NodeFileTree;

  beforeAll(async () => {
    fx = await escapeFixture();
    const taskDir = "workitems/job/job-1/task";
    await mkdir(fx.at(`${taskDir}/wd/sub`), { recursive: true });
    await mkdir(fx.at("workitems/job/job-1/other"), { recursive: true });
    await writeFile(fx.at(`${taskDir}/stdout.txt`), "out\n");
    await writeFile(fx.at("workitems/job/job-1/other/stdout.txt"), "other task\n");
    await writeFile(fx.at("root-file.txt"), "in the node root\n");
    await symlink(path.join(fx.outside, "secret.txt"), fx.at(`${taskDir}/wd/link`));
    await symlink(fx.outside, fx.at(`${taskDir}/wd/dir-link`));
    await symlink("../../../../../node-evil/secret.txt", fx.at(`${taskDir}/wd/sub/sibling-link`));
    await symlink("../stdout.txt", fx.at(`${taskDir}/wd/inside`));
    await symlink("../../../../../root-file.txt", fx.at(`${taskDir}/wd/root-link`));
    tree = new NodeFileTree(new NodeRootFs(fx.root), taskDir, "https://account/jobs/job/tasks/task/files");
  });

  afterAll(async () => {
    await fx.cleanup();
  });

  it("answers FileNotFound for links out of the node root, never their content or size", async () => {
    for (const name of ["wd/link", "wd/dir-link/secret.txt", "wd/sub/sibling-link"]) {
      expect(await codeOf(tree.read(name)), name).toBe("FileNotFound");
      expect(await codeOf(tree.properties(name)), name).toBe("FileNotFound");
    }
  });

  it("leaves links out of the node root out of listings and never lists below them", async () => {
    const names = (await tree.list(true)).map((f) => f.name);
    expect(names).toEqual(["stdout.txt", "wd", "wd/inside", "wd/root-link", "wd/sub"]);
  });

  it("reads links whose target is inside the node root, as a node would", async () => {
    expect((await tree.read("wd/inside")).toString()).toBe("out\n");
    expect((await tree.read("wd/root-link")).toString()).toBe("in the node root\n");
  });

  it("answers FileNotFound for paths that climb out of the task directory", async () => {
    const climbing = [
      "../other/stdout.txt",
      "wd/../../other/stdout.txt",
      "../../../../../outside/secret.txt",
      "/../../../../../outside/secret.txt",
      `../../../../../${path.basename(fx.sibling)}/secret.txt`,
    ];
    for (const name of climbing) expect(await codeOf(tree.read(name)), name).toBe("FileNotFound");
  });

  it("never decodes a path again: encoded dots are file names", async () => {
    for (const name of ["%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/outside/secret.txt", "..%2F..%2F..%2F..%2F..%2Foutside%2Fsecret.txt", "%252e%252e/secret.txt"]) {
      expect(await codeOf(tree.read(name)), name).toBe("FileNotFound");
    }
  });
});

/** A GET with the path sent byte for byte (fetch and URL would resolve `..` and `%2e%2e` first). */
function rawGet(baseUrl: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, method: "GET", path: `${rawPath}?api-version=2024-07-01.20.0`, headers: { "ocp-date": new Date().toUTCString() } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("the file endpoints of the local backend", () => {
  let bed: TestBed;
  let fx: EscapeFixture;
  let nodeId: string;

  beforeAll(async () => {
    fx = await escapeFixture();
    bed = await TestBed.start({ server: { authentication: false } });
    nodeId = (await bed.addPool("p")).nodes[0]?.id as string;
    await bed.addJob("j", "p");
    // The task plants links on its node: in its working directory and in the shared directory.
    bed.runtime.programs.set("plant", async (run) => {
      await symlink(path.join(fx.outside, "secret.txt"), run.hostPath("link"));
      await symlink(path.join(fx.outside, "secret.txt"), run.hostPath("/mnt/batch/tasks/shared/link"));
      await symlink(fx.outside, run.hostPath("dir-link"));
      await symlink("../stdout.txt", run.hostPath("inside"));
      return { stdout: "planted\n" };
    });
    await bed.batch.task.add("j", { id: "t", commandLine: "plant" });
    await bed.taskIn("j", "t", "completed");
  });

  afterAll(async () => {
    await bed?.close();
    await fx?.cleanup();
  });

  it("do not serve a host file through a link in the working directory", async () => {
    expect(await codeOf(bed.batch.file.getFromTask("j", "t", "wd/link"))).toBe("FileNotFound");
    expect(await codeOf(bed.batch.file.getPropertiesFromTask("j", "t", "wd/link"))).toBe("FileNotFound");
    expect(await codeOf(bed.batch.file.getFromTask("j", "t", "wd/dir-link/secret.txt"))).toBe("FileNotFound");
    expect((await bed.batch.file.getFromTask("j", "t", "wd/inside")).toString()).toBe("planted\n");
    expect((await bed.batch.file.listFromTask("j", "t", { recursive: true })).map((f) => f.name)).not.toContain("wd/link");
  });

  it("do not serve a host file through a link in the shared directory", async () => {
    expect(await codeOf(bed.batch.file.getFromComputeNode("p", nodeId, "shared/link"))).toBe("FileNotFound");
    expect(await codeOf(bed.batch.file.getFromComputeNode("p", nodeId, "workitems/j/job-1/t/wd/link"))).toBe("FileNotFound");
    expect((await bed.batch.file.listFromComputeNode("p", nodeId, { recursive: true })).map((f) => f.name)).not.toContain("shared/link");
  });

  it("answer 404 over REST for links and for `..`, percent-encoded and double-encoded climbs", async () => {
    const url = bed.account.batchUrl;
    const up = "../".repeat(12);
    const secret = path.join(fx.outside, "secret.txt").slice(1);
    const attempts = [
      "/jobs/j/tasks/t/files/wd/link",
      `/jobs/j/tasks/t/files/${up}${secret}`,
      `/jobs/j/tasks/t/files/${up.replaceAll("../", "%2e%2e/")}${secret}`,
      `/jobs/j/tasks/t/files/${up.replaceAll("../", "..%2F")}${encodeURIComponent(secret)}`,
      `/jobs/j/tasks/t/files/${up.replaceAll("../", "%252e%252e%252f")}${secret}`,
      "/pools/p/nodes/" + nodeId + "/files/shared/link",
      `/pools/p/nodes/${nodeId}/files/${up.replaceAll("../", "..%2F")}${encodeURIComponent(secret)}`,
    ];
    for (const attempt of attempts) {
      const response = await rawGet(url, attempt);
      expect(response.body, attempt).not.toContain(SECRET.trim());
      expect(response.status, attempt).toBe(404);
    }
  });
});
