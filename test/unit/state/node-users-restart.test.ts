/**
 * Node users and pool accounts survive a restart of Malachite on the same data directory (the
 * journal keeps them, passwords only hashed), and a restart counts as the reboot of every node:
 * its new container gets them again.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { LocalBackend } from "../../../src/backends/local/local-backend.js";
import { FakeClock } from "../../support/fake-clock.js";
import type { FakeNodeRuntime } from "../../support/fake-node-runtime.js";
import { waitFor } from "../../support/settle.js";
import { startOn } from "../../support/start-on-data-dir.js";

const open: LocalBackend[] = [];
let dataDir: string;

afterEach(async () => {
  for (const backend of open.splice(0).reverse()) await backend.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function idleNode(backend: LocalBackend): Promise<string> {
  return waitFor(
    async () => {
      const [node] = await backend.batch.computeNode.list("pool");
      return node?.state === "idle" && node.id;
    },
    { what: "an idle node" },
  );
}

function onlyContainer(runtime: FakeNodeRuntime): string {
  const [node] = [...runtime.nodes.values()].filter((n) => n.running);
  return node?.containerId as string;
}

async function dataText(): Promise<string> {
  const files = await readdir(dataDir, { recursive: true });
  return (await Promise.all(files.map((file) => readFile(path.join(dataDir, file), "utf8").catch(() => "")))).join("\n");
}

describe("node users across a restart", () => {
  it("the node gets its users and the pool's accounts again, with the same password hashes; no clear password is on disk", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-users-restart-"));
    const first = await startOn(dataDir);
    open.push(first.backend);
    await first.backend.batch.pool.add({
      id: "pool",
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 1,
      userAccounts: [{ name: "svc", password: "pool-Secret-1" }],
    });
    const nodeId = await idleNode(first.backend);
    await first.backend.batch.computeNode.addUser("pool", nodeId, { name: "ops", isAdmin: true, password: "node-Secret-2" });
    const before = first.runtime.users.account(onlyContainer(first.runtime), "ops");
    const poolHash = first.runtime.users.account(onlyContainer(first.runtime), "svc")?.passwordHash;
    await first.backend.close();
    open.pop();

    const second = await startOn(dataDir, new FakeClock(first.clock.now() + 60_000));
    open.push(second.backend);
    expect(await idleNode(second.backend)).toBe(nodeId);
    const container = onlyContainer(second.runtime);
    expect(second.runtime.users.account(container, "ops")).toMatchObject({ groups: ["_azbatch", "sudo"], passwordHash: before?.passwordHash });
    expect(second.runtime.users.account(container, "svc")?.passwordHash).toBe(poolHash);
    await second.backend.batch.computeNode.deleteUser("pool", nodeId, "ops");
    expect(second.runtime.users.account(container, "ops")).toBeUndefined();
    const text = await dataText();
    expect(text).not.toContain("pool-Secret-1");
    expect(text).not.toContain("node-Secret-2");
  });
});
