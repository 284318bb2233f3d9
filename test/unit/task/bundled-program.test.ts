import { spawn } from "node:child_process";
import { copyFile, mkdtemp, readFile, realpath, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PYTHON3_AVAILABLE, runOriginalAlgorithm } from "./original-python-task.js";
import { startRecordingBlobServer, type RecordingBlobServer } from "./recording-blob-server.js";
import { referenceOutput, TUTORIAL_DIR } from "./reference-top-words.js";

const BUNDLE_SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../scripts/bundle-task.mjs");
const SAS = "se=2030-01-01T00%3A00%3A00Z&sp=w&sv=2021-08-06&sr=c&sig=SECRETSIGNATURE%3D";
const ENV = {
  AZ_BATCH_NODE_ID: "tvm-1",
  AZ_BATCH_TASK_ID: "topNtask0",
  AZ_BATCH_JOB_ID: "PythonTutorialJob",
  AZ_BATCH_POOL_ID: "PythonTutorialPool",
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...ENV } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

let root: string;
let program: string;
let server: RecordingBlobServer;
let workDir: string;

function runTask(...extra: string[]): Promise<Run> {
  return run(
    process.execPath,
    [
      program,
      "--filepath",
      "taskdata1.txt",
      "--numwords",
      "3",
      "--storageaccount",
      "devstoreaccount1",
      "--storagecontainer",
      "output",
      "--sastoken",
      `?${SAS}`,
      "--blobendpoint",
      `${server.origin}/devstoreaccount1`,
      ...extra,
    ],
    workDir,
  );
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "tutorial-task-"));
  program = join(root, "bin", "tutorial_task.js");
  const bundled = await run(process.execPath, [BUNDLE_SCRIPT, program], root);
  expect(bundled).toMatchObject({ code: 0 });
  server = await startRecordingBlobServer();
}, 60_000);
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  server.requests.length = 0;
  server.reply = { status: 201 };
  workDir = await mkdtemp(join(root, "wd-"));
});

describe("the bundled task program", () => {
  it("is one self-contained CommonJS file", async () => {
    const source = await readFile(program, "utf8");
    const required = [...source.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!);
    expect(required.every((name) => name.startsWith("node:") || !name.includes("/"))).toBe(true);
    expect(required.filter((name) => !/^(node:)?(fs|fs\/promises|path|os|url|util|stream|http|https|net)$/.test(name))).toEqual([]);
    expect((await stat(program)).size).toBeLessThan(50_000);
  });

  it("counts, writes the output file in its cwd, prints the line and uploads it", async () => {
    await copyFile(join(TUTORIAL_DIR, "taskdata1.txt"), join(workDir, "taskdata1.txt"));
    const result = await runTask();
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);

    const outputPath = await realpath(join(workDir, "taskdata1_OUTPUT.txt"));
    expect(result.stdout).toBe(`Uploading file ${outputPath} to container [output]...\n`);
    const written = await readFile(outputPath);
    const input = await readFile(join(workDir, "taskdata1.txt"), "utf8");
    const ids = { node: ENV.AZ_BATCH_NODE_ID, task: ENV.AZ_BATCH_TASK_ID, job: ENV.AZ_BATCH_JOB_ID, pool: ENV.AZ_BATCH_POOL_ID };
    expect(written.equals(Buffer.from(referenceOutput(input, 3, ids)))).toBe(true);
    expect(written.toString()).toContain("to:\t18\nand:\t17\nyou:\t14\n");

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe("PUT");
    expect(request!.url).toBe(`/devstoreaccount1/output/taskdata1_OUTPUT.txt?${SAS}`);
    expect(request!.headers["x-ms-blob-type"]).toBe("BlockBlob");
    expect(request!.headers["x-ms-version"]).toBe("2021-08-06");
    expect(request!.headers["content-type"]).toBe("application/octet-stream");
    expect(request!.headers["content-length"]).toBe(String(written.byteLength));
    expect(request!.body.equals(written)).toBe(true);
  });

  // Two programs start at once, Node and Python: on a loaded machine that is seconds.
  it.skipIf(!PYTHON3_AVAILABLE)("writes the same output file as the original Python script (needs python3)", { timeout: 30_000 }, async () => {
    await copyFile(join(TUTORIAL_DIR, "taskdata3.txt"), join(workDir, "taskdata1.txt"));
    const pythonOutput = join(workDir, "python_OUTPUT.txt");
    // Both programs start at once: each costs about a second to start.
    const [task, python] = await Promise.all([runTask(), runOriginalAlgorithm(join(workDir, "taskdata1.txt"), pythonOutput, 3, ENV)]);
    expect(task.code).toBe(0);
    expect(python.status).toBe(0);
    const ours = await readFile(join(workDir, "taskdata1_OUTPUT.txt"));
    expect(ours.equals(await readFile(pythonOutput))).toBe(true);
  });

  it("fails with the status and error code, without the SAS, when the upload is refused", async () => {
    await copyFile(join(TUTORIAL_DIR, "taskdata1.txt"), join(workDir, "taskdata1.txt"));
    server.reply = { status: 403, headers: { "x-ms-error-code": "AuthenticationFailed" } };
    const result = await runTask();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/HTTP 403 .*\(AuthenticationFailed\)/);
    expect(result.stderr + result.stdout).not.toContain("SECRETSIGNATURE");
  });

  it("rejects invalid UTF-8: non-zero exit, clear message, nothing written or uploaded", async () => {
    await writeFile(join(workDir, "taskdata1.txt"), Buffer.from([0x61, 0x62, 0x20, 0xff, 0xfe, 0x20, 0x63]));
    const result = await runTask();
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/taskdata1\.txt is not valid UTF-8/);
    expect(result.stdout).toBe("");
    expect(server.requests).toHaveLength(0);
    await expect(stat(join(workDir, "taskdata1_OUTPUT.txt"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("exits 2 with the usage on stderr when an argument is missing", async () => {
    const result = await run(process.execPath, [program, "--filepath", "taskdata1.txt"], workDir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^usage: tutorial_task\.js /);
    expect(result.stderr).toContain("tutorial_task.js: error: the following arguments are required: --numwords");
    expect(server.requests).toHaveLength(0);
  });

  it("fails with exit 1 and a message when the input file is missing", async () => {
    const result = await runTask();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ENOENT.*taskdata1\.txt/);
    expect(server.requests).toHaveLength(0);
  });
});
