import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { afterEach, describe, expect, it } from "vitest";
import type { MalachiteConfig } from "../../../src/core/config/index.js";
import { serveEmulator, type RunningMalachite } from "../../../src/serve-emulator.js";
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from "../../../src/backends/local/azurite/azurite-process.js";
import { FakeClock } from "../../support/fake-clock.js";
import { FakeNodeRuntime } from "../../support/fake-node-runtime.js";
import { rejectionOf } from "../../support/rejection-of.js";
import { waitFor } from "../../support/settle.js";

let malachite: RunningMalachite | undefined;
afterEach(() => malachite?.close());

/** What `startMalachite()` returns, on a fake runtime: its `injectFault` is the one a user's suite calls. */
async function emulator(): Promise<RunningMalachite> {
  const config: MalachiteConfig = {
    backend: "local",
    local: { dataDir: mkdtempSync(path.join(os.tmpdir(), "malachite-faults-")), azurite: { port: 0 }, inMemory: true },
    azure: {},
  };
  const clock = new FakeClock();
  const blobEndpoint = `http://127.0.0.1:9/${AZURITE_ACCOUNT_NAME}`;
  const blob = { accountName: AZURITE_ACCOUNT_NAME, accountKey: AZURITE_ACCOUNT_KEY, blobEndpoint, connectionString: "", stop: async () => undefined };
  const local = { runtime: new FakeNodeRuntime(clock), clock, nodeImage: async () => "malachite-node:fake", startBlobService: async () => blob };
  return serveEmulator(config, { host: "127.0.0.1", port: 0, authentication: true }, { local });
}

describe("startMalachite().injectFault", () => {
  it("kills a node: the official SDK sees it unusable with the reason", async () => {
    malachite = await emulator();
    const client = new BatchServiceClient(new BatchSharedKeyCredentials(malachite.batchAccountName, malachite.batchAccountKey), malachite.batchUrl);
    await client.pool.add({ id: "pool", vmSize: "standard_d2s_v3", targetDedicatedNodes: 1 });
    const [node] = await waitFor(async () => {
      const nodes = await client.computeNode.list("pool");
      return nodes[0]?.state === "idle" && nodes;
    });
    await malachite.injectFault({ type: "killNode", poolId: "pool", nodeId: node?.id as string });
    const lost = await waitFor(async () => {
      const current = await client.computeNode.get("pool", node?.id as string);
      return current.state === "unusable" && current;
    });
    expect(lost.errors?.[0]?.code).toBe("NodeUnreachable");
  });

  it("refuses a fault on a pool that does not exist with the service's error", async () => {
    malachite = await emulator();
    expect(await rejectionOf(malachite.injectFault({ type: "failStartTask", poolId: "nope" }))).toMatchObject({ statusCode: 404, code: "PoolNotFound" });
  });
});
