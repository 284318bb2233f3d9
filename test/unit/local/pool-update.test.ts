/**
 * Pool_Patch (`PATCH /pools/{poolId}`) and Pool_UpdateProperties (`POST /pools/{poolId}/updateproperties`)
 * through @azure/batch 10.2.0, and the 2025-06-01 properties the SDK cannot send through signed requests.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   response bodies of signed requests are untyped JSON here, read as the wire carries them. */
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { restErrorOf } from "../../support/rejection-of.js";
import { signedFetcher, type BatchFetch } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";
import { writeZip } from "../../support/zip-file.js";
import path from "node:path";

let bed: TestBed;
let client: BatchServiceClient;
let batch: BatchFetch;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  batch = signedFetcher(bed.account);
  await bed.addPool("p", { startTask: { commandLine: "echo first" }, metadata: [{ name: "team", value: "a" }] });
});

afterEach(async () => {
  await bed.close();
});

/** The command lines of the start tasks the pool's nodes ran, by node. */
function startTaskCommands(): string[][] {
  return bed.runtime.processes.filter((p) => p.env.AZ_BATCH_TASK_ID === undefined).map((p) => p.argv);
}

describe("Pool_Patch", () => {
  it("replaces what is given and keeps what is omitted, with a new ETag (200)", async () => {
    const before = await client.pool.get("p");
    const answer = await client.pool.patch("p", { metadata: [{ name: "team", value: "b" }] });
    expect(answer._response.status).toBe(200);
    const after = await client.pool.get("p");
    expect(after.metadata).toEqual([{ name: "team", value: "b" }]);
    expect(after.startTask?.commandLine).toBe("echo first");
    expect(after.eTag).not.toBe(before.eTag);
    expect(answer.eTag).toBe(after.eTag);
  });

  it("honours If-Match: a stale ETag is 412 ConditionNotMet and changes nothing", async () => {
    const { eTag } = await client.pool.get("p");
    await client.pool.patch("p", { metadata: [{ name: "team", value: "b" }] }, { poolPatchOptions: { ifMatch: eTag } });
    const stale = await restErrorOf(client.pool.patch("p", { metadata: [{ name: "team", value: "c" }] }, { poolPatchOptions: { ifMatch: eTag } }));
    expect(stale.statusCode).toBe(412);
    expect(stale.code).toBe("ConditionNotMet");
    expect((await client.pool.get("p")).metadata).toEqual([{ name: "team", value: "b" }]);
  });

  it("a new start task reaches nodes when they next start: the running node keeps the old one, a new node runs the new one", async () => {
    const [node] = await bed.batch.computeNode.list("p");
    await client.pool.patch("p", { startTask: { commandLine: "echo second" } });
    expect((await client.computeNode.get("p", node!.id)).startTask?.commandLine).toBe("echo first");
    await client.pool.resize("p", { targetDedicatedNodes: 2 });
    await bed.waitFor(async () => (await bed.batch.computeNode.list("p")).filter((n) => n.state === "idle").length === 2, "two idle nodes");
    expect(startTaskCommands()).toEqual([
      ["echo", "first"],
      ["echo", "second"],
    ]);
    const added = (await bed.batch.computeNode.list("p")).find((n) => n.id !== node!.id);
    expect(added?.startTask?.commandLine).toBe("echo second");
  });

  it("accepts a new start task that runs as a named user, as pool add does", async () => {
    await client.pool.patch("p", { startTask: { commandLine: "echo as-user", userIdentity: { userName: "node-user" } } });
    expect((await client.pool.get("p")).startTask?.userIdentity?.userName).toBe("node-user");
  });

  it("changes VM properties only while the pool has no nodes (409 otherwise)", async () => {
    const busy = await batch("/pools/p", { method: "PATCH", json: { vmSize: "standard_d4s_v3", taskSlotsPerNode: 2 } });
    expect(busy.status).toBe(409);
    expect(busy.json.code).toBe("OperationInvalidForCurrentState");
    expect(busy.json.values).toContainEqual({ key: "PropertyName", value: "vmSize" });
    const same = await batch("/pools/p", { method: "PATCH", json: { vmSize: "standard_d2s_v3", displayName: undefined } });
    expect(same.status).toBe(200);
    await client.pool.resize("p", { targetDedicatedNodes: 0 });
    await bed.waitFor(async () => (await client.pool.get("p")).allocationState === "steady" && (await bed.batch.computeNode.list("p")).length === 0);
    const empty = await batch("/pools/p", { method: "PATCH", json: { vmSize: "standard_d4s_v3", taskSlotsPerNode: 2, displayName: "bigger" } });
    expect(empty.status, empty.text).toBe(200);
    expect(await client.pool.get("p")).toMatchObject({ vmSize: "standard_d4s_v3", taskSlotsPerNode: 2, displayName: "bigger" });
  });

  it("refuses what the emulator cannot honour with UnsupportedProperty, and bad values with the service's 400", async () => {
    for (const json of [{ networkConfiguration: {} }, { mountConfiguration: [] }, { userAccounts: [] }, { certificateReferences: [{ thumbprint: "x" }] }]) {
      const response = await batch("/pools/p", { method: "PATCH", json });
      expect(response.status, JSON.stringify(json)).toBe(400);
      expect(response.json.code).toBe("UnsupportedProperty");
    }
    const mode = await batch("/pools/p", { method: "PATCH", json: { targetNodeCommunicationMode: "sideways" } });
    expect(mode.status).toBe(400);
    const missing = await restErrorOf(client.pool.patch("nope", { metadata: [] }));
    expect(missing.code).toBe("PoolNotFound");
  });

  it("checks application package references: 409 InvalidApplicationPackageReferences for a missing package", async () => {
    const error = await restErrorOf(client.pool.patch("p", { applicationPackageReferences: [{ applicationId: "ghost", version: "1" }] }));
    expect(error.statusCode).toBe(409);
    expect(error.code).toBe("InvalidApplicationPackageReferences");
    const zip = await writeZip(path.join(bed.dataDir, "tool.zip"), [{ name: "a.txt", content: "a" }]);
    await bed.batch.application.add("tool", "1", zip);
    await client.pool.patch("p", { applicationPackageReferences: [{ applicationId: "tool", version: "1" }], targetNodeCommunicationMode: "simplified" });
    expect(await client.pool.get("p")).toMatchObject({
      applicationPackageReferences: [{ applicationId: "tool", version: "1" }],
      targetNodeCommunicationMode: "simplified",
    });
  });
});

describe("Pool_UpdateProperties", () => {
  it("replaces everything: an omitted start task is removed, the lists are replaced (204)", async () => {
    const answer = await client.pool.updateProperties("p", {
      certificateReferences: [],
      applicationPackageReferences: [],
      metadata: [{ name: "x", value: "1" }],
    });
    expect(answer._response.status).toBe(204);
    const pool = await client.pool.get("p");
    expect(pool.startTask).toBeUndefined();
    expect(pool.metadata).toEqual([{ name: "x", value: "1" }]);
    expect(pool.targetNodeCommunicationMode).toBe("default");
    const raw = await batch("/pools/p/updateproperties", { json: { startTask: { commandLine: "echo third" } } });
    expect(raw.status).toBe(204);
    expect(await client.pool.get("p")).toMatchObject({ startTask: { commandLine: "echo third" }, metadata: [] });
  });

  it("a pool being deleted is 409 PoolBeingDeleted", async () => {
    await client.pool.deleteMethod("p");
    const error = await restErrorOf(client.pool.updateProperties("p", { certificateReferences: [], applicationPackageReferences: [], metadata: [] }));
    expect(error.code).toBe("PoolBeingDeleted");
  });
});
