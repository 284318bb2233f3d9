import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DockerNodeRuntime } from "../../src/backends/local/docker/docker-node-runtime.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "dist/src/cli/main.js");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  pid: number;
}

/** Runs `malachite` without a terminal; `onStdout` may act on the output so far (e.g. send a signal). */
function malachite(args: string[], onStdout?: (stdout: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  const child = spawn(process.execPath, [cli, ...args], { cwd: mkdtempSync(path.join(os.tmpdir(), "malachite-cli-")), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    onStdout?.(stdout, child);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr, pid: child.pid as number })));
}

async function containersOwnedBy(pid: number) {
  return new DockerNodeRuntime().listManaged({ "malachite.owner-pid": String(pid) });
}

describe("malachite tutorial (the CLI behind npm run demo)", () => {
  it("runs the tutorial on the project's sample texts without a terminal and cleans up", async () => {
    const output = mkdtempSync(path.join(os.tmpdir(), "malachite-out-"));
    const run = await malachite(["tutorial", "--output", output, "--poll-ms", "250", "--data-dir", mkdtempSync(path.join(os.tmpdir(), "malachite-data-"))]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Creating pool [MalachiteTutorialPool]...");
    expect(run.stdout).toContain("Delete job? [Y/n] y (no terminal: default)\nDelete pool? [Y/n] y (no terminal: default)\n");
    expect(readdirSync(output).sort()).toEqual(["kiln_OUTPUT.txt", "ledger_OUTPUT.txt", "reef_OUTPUT.txt"]);
    expect(readFileSync(path.join(output, "reef_OUTPUT.txt"), "utf8")).toMatch(/^Word\tCount\n-{30}\nthe:\t\d+\n/);
    expect(run.stdout).not.toMatch(/sig=/);
    expect(await containersOwnedBy(run.pid)).toEqual([]);
  });

  it("leaves no container behind when interrupted with Ctrl-C while the pool comes up", async () => {
    let interrupted = false;
    const run = await malachite(["tutorial", "--yes", "--nodes", "2", "--poll-ms", "250"], (stdout, child) => {
      if (!interrupted && stdout.includes("Creating job")) {
        interrupted = true;
        child.kill("SIGINT");
      }
    });
    expect(interrupted).toBe(true);
    expect(run.code).toBe(130);
    expect(run.stderr).toContain("SIGINT: stopping and cleaning up");
    expect(await containersOwnedBy(run.pid)).toEqual([]);
  });

  it("rejects bad arguments and an unknown backend with a clear message and exit code 2", async () => {
    const nodes = await malachite(["tutorial", "--nodes", "0"]);
    expect([nodes.code, nodes.stderr.trim()]).toEqual([2, "malachite: --nodes must be an integer of at least 1, not '0'"]);
    const backend = await malachite(["tutorial", "--backend", "gcp"]);
    expect([backend.code, backend.stderr.trim()]).toEqual([2, "malachite: unknown backend 'gcp': choose one of local, azure"]);
    const missing = await malachite(["tutorial", "--yes", "--input", "/nonexistent/file.txt"]);
    expect([missing.code, missing.stderr.trim()]).toEqual([2, "malachite: input file not found: /nonexistent/file.txt"]);
    expect(await containersOwnedBy(missing.pid)).toEqual([]);
  });
});

describe("malachite serve's arguments", () => {
  it("refuse a backend serve cannot serve, and a bad setting naming where it came from, with exit code 2", async () => {
    const azure = await malachite(["serve", "--backend", "azure"]);
    expect([azure.code, azure.stderr.trim()]).toEqual([
      2,
      "malachite: malachite serve emulates Azure Batch with the local backend; it cannot serve --backend azure",
    ]);
    const port = await malachite(["serve", "--blob-port", "70000"]);
    expect([port.code, port.stderr.trim()]).toEqual([
      2,
      "malachite: invalid Azurite port '70000' (--blob-port): a port number from 0 to 65535, 0 picks a free one",
    ]);
  });
});
