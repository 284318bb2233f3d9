import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import Dockerode from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureNodeImage } from "../../src/backends/local/docker/node-image.js";
import { startMalachite, type RunningMalachite } from "../../src/start-malachite.js";

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/src/cli/main.js");
const TASK_REPO = "registry.malachite.test/malachite-node";
const TASK_TAG = `cli-${process.pid}`;
const TASK_IMAGE = `${TASK_REPO}:${TASK_TAG}`;

/** Runs `malachite` with only the given Azure variables (none inherited). */
function malachite(args: string[], azureEnv: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AZURE_") && !name.startsWith("MALACHITE_AZURE_")));
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: mkdtempSync(path.join(os.tmpdir(), "malachite-cli-azure-")),
    env: { ...env, ...azureEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

describe("malachite tutorial --backend azure", () => {
  const docker = new Dockerode();
  let batch: RunningMalachite;

  beforeAll(async () => {
    await docker.getImage(await ensureNodeImage()).tag({ repo: TASK_REPO, tag: TASK_TAG });
    batch = await startMalachite();
  });

  afterAll(async () => {
    await batch?.close();
    await docker
      .getImage(TASK_IMAGE)
      .remove()
      .catch(() => undefined);
  });

  it("fails before creating anything when misconfigured, saying what to set and printing no secret", async () => {
    const secret = "c2VjcmV0LWtleS1ub3QtdG8tYmUtcHJpbnRlZA==";
    const run = await malachite(["tutorial", "--backend", "azure", "--yes"], {
      AZURE_BATCH_ACCOUNT: batch.batchAccountName,
      AZURE_BATCH_ACCESS_KEY: secret,
      AZURE_BATCH_ENDPOINT: batch.batchUrl.replace("http://", ""),
      AZURE_STORAGE_CONNECTION_STRING: batch.storageConnectionString,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("AZURE_BATCH_ENDPOINT");
    expect(run.stderr).toContain("MALACHITE_AZURE_TASK_IMAGE");
    expect(run.stderr + run.stdout).not.toContain(secret);
    expect(run.stdout).toBe("");
    const client = new BatchServiceClient(new BatchSharedKeyCredentials(batch.batchAccountName, batch.batchAccountKey), batch.batchUrl);
    expect(await client.pool.list()).toHaveLength(0);
  });

  it("runs the tutorial through the Azure backend against the emulator, with the flag as the only change", async () => {
    const output = mkdtempSync(path.join(os.tmpdir(), "malachite-cli-azure-out-"));
    const run = await malachite(["tutorial", "--backend", "azure", "--yes", "--output", output, "--poll-ms", "250"], {
      AZURE_BATCH_ACCOUNT: batch.batchAccountName,
      AZURE_BATCH_ACCESS_KEY: batch.batchAccountKey,
      AZURE_BATCH_ENDPOINT: batch.batchUrl,
      AZURE_STORAGE_CONNECTION_STRING: batch.storageConnectionString,
      MALACHITE_AZURE_TASK_IMAGE: TASK_IMAGE,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Delete job? [Y/n] y\nDelete pool? [Y/n] y\n");
    expect(run.stdout).not.toContain(batch.batchAccountKey);
    expect(readdirSync(output).sort()).toEqual(["kiln_OUTPUT.txt", "ledger_OUTPUT.txt", "reef_OUTPUT.txt"]);
  });
});
