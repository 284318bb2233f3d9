/**
 * Upload Batch service logs, remote login settings and node extensions through the official SDK
 * (REST `Nodes_UploadNodeLogs`, `Nodes_GetNodeRemoteLoginSettings`, `Nodes_ListNodeExtensions`,
 * `Nodes_GetNodeExtension`), with real blobs in Azurite.
 */
import type { BatchServiceClient } from "@azure/batch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ComputeNode } from "../../../src/core/models/index.js";
import { signedFetcher } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
let client: BatchServiceClient;
let nodeId: string;

beforeAll(async () => {
  bed = await TestBed.start({ server: true, azurite: true });
  client = await bed.client();
  bed.runtime.programs.set("setup", () => ({ stdout: "setting up\n", stderr: "a warning\n" }));
  const { nodes } = await bed.addPool("pool", { startTask: { commandLine: "setup" } });
  nodeId = (nodes[0] as ComputeNode).id;
  await client.computeNode.reboot("pool", nodeId);
  await bed.waitFor(async () => bed.runtime.nodeStarts.length === 2 && (await bed.batch.computeNode.get("pool", nodeId)).state === "idle", "the reboot");
}, 60_000);

afterAll(() => bed?.close());

describe("upload Batch service logs", () => {
  it("uploads the node's agent log and the start task's output under {pool}/{node}/{id}", async () => {
    await bed.backend.storage.createContainer("logs");
    const containerUrl = bed.backend.storage.containerSasUrl("logs", "w", new Date(Date.now() + 3_600_000));
    const result = await client.computeNode.uploadBatchServiceLogs("pool", nodeId, { containerUrl, startTime: new Date("2000-01-01T00:00:00Z") });
    expect(result.numberOfFilesUploaded).toBe(3);
    expect(result.virtualDirectoryName).toMatch(new RegExp(`^pool/${nodeId.replace(/_/g, "-")}/[0-9a-f-]{36}$`));
    const blobs = (await bed.backend.storage.listBlobs("logs", result.virtualDirectoryName)).map((blob) => blob.name).sort();
    expect(blobs).toEqual(["malachite-agent.log", "startup/stderr.txt", "startup/stdout.txt"].map((name) => `${result.virtualDirectoryName}/${name}`));
    const agentLog = (await bed.backend.storage.downloadToBuffer("logs", `${result.virtualDirectoryName}/malachite-agent.log`)).toString();
    expect(agentLog).toContain("state creating -> starting");
    expect(agentLog).toContain("reboot requested (nodeRebootOption requeue)");
    expect(agentLog).toContain("state rebooting -> starting");
    expect(agentLog).toContain("start task completed: success, exit code 0");
    expect(agentLog).not.toContain("sig=");
    const stdout = await bed.backend.storage.downloadToBuffer("logs", `${result.virtualDirectoryName}/startup/stdout.txt`);
    expect(stdout.toString()).toBe("setting up\n");
  });

  it("uploads nothing of a time range in which nothing happened", async () => {
    await bed.backend.storage.createContainer("later");
    const containerUrl = bed.backend.storage.containerSasUrl("later", "w", new Date(Date.now() + 3_600_000));
    const future = new Date(bed.clock.now() + 3_600_000);
    const result = await client.computeNode.uploadBatchServiceLogs("pool", nodeId, { containerUrl, startTime: future });
    expect(result.numberOfFilesUploaded).toBe(0);
  });

  it("refuses a managed identity, and a container URL that is no URL, without echoing a SAS", async () => {
    const batch = signedFetcher(bed.account);
    const path = `/pools/pool/nodes/${nodeId}/uploadbatchservicelogs`;
    const identity = await batch(path, {
      json: { containerUrl: "https://a.blob.core.windows.net/c", startTime: "2025-01-01T00:00:00Z", identityReference: { resourceId: "/x" } },
    });
    expect(identity.status).toBe(400);
    expect(identity.json).toMatchObject({ code: "UnsupportedProperty" });
    const bad = await batch(path, { json: { containerUrl: "not a url?sig=secret", startTime: "2025-01-01T00:00:00Z" } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: "InvalidPropertyValue" });
    expect(bad.text).not.toContain("secret");
    const missing = await batch(path, { json: { containerUrl: "https://a.blob.core.windows.net/c" } });
    expect(missing.json).toMatchObject({ code: "MissingRequiredProperty" });
  });

  it("fails with the container's URL, not its SAS, when the upload is refused", async () => {
    const containerUrl = bed.backend.storage.containerSasUrl("no-such-container", "w", new Date(Date.now() + 3_600_000));
    const error = await client.computeNode
      .uploadBatchServiceLogs("pool", nodeId, { containerUrl, startTime: new Date("2000-01-01T00:00:00Z") })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, code: "InvalidPropertyValue" });
    const answer = (error as { response?: { body?: string } }).response?.body ?? "";
    expect(answer).toContain("no-such-container failed: ContainerNotFound");
    expect(answer).not.toContain("sig=");
  });
});

describe("remote login settings", () => {
  it("are the node's address (the host's loopback: nodes share the host's network) and the SSH port", async () => {
    const settings = await client.computeNode.getRemoteLoginSettings("pool", nodeId);
    expect(settings).toMatchObject({ remoteLoginIPAddress: "127.0.0.1", remoteLoginPort: 22 });
  });
});

describe("node extensions", () => {
  it("lists none, and a get is 404", async () => {
    const list = await client.computeNodeExtension.list("pool", nodeId);
    expect([...list]).toEqual([]);
    await expect(client.computeNodeExtension.get("pool", nodeId, "CustomScript")).rejects.toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
    await expect(client.computeNodeExtension.list("pool", "tvm-none")).rejects.toMatchObject({ statusCode: 404, code: "NodeNotFound" });
  });
});
