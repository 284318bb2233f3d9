import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { describe, expect, it } from "vitest";
import { DockerNodeRuntime } from "../../../src/backends/local/docker/docker-node-runtime.js";
import { waitUntil } from "../../contract/wait-until.js";

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../dist/src/cli/main.js");

describe("malachite serve", () => {
  it("prints what a client needs, serves it, and removes every container on Ctrl-C", async () => {
    const child = spawn(process.execPath, [cli, "serve", "--port", "0", "--blob-port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    await waitUntil(
      async () => stdout,
      (text) => text.includes("Press Ctrl-C"),
      { timeoutMs: 60_000, what: "the banner" },
    );
    const field = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(stdout)?.[1] as string;
    const url = field("Batch account URL");
    expect(stdout).toMatch(/export AZURE_BATCH_ENDPOINT=http:\/\/127\.0\.0\.1:\d+/);
    expect(field("Connection string")).toMatch(/^DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;/);

    const client = new BatchServiceClient(new BatchSharedKeyCredentials(field("Batch account name"), field("Batch account key")), url);
    await client.pool.add({ id: "served", vmSize: "standard_a1", targetDedicatedNodes: 1 });
    await waitUntil(
      () => client.computeNode.list("served"),
      (nodes) => nodes[0]?.state === "idle",
      { timeoutMs: 60_000, what: "an idle node" },
    );
    expect(await new DockerNodeRuntime().listManaged({ "malachite.owner-pid": String(child.pid) })).toHaveLength(1);

    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(await new DockerNodeRuntime().listManaged({ "malachite.owner-pid": String(child.pid) })).toEqual([]);
  });
});
