/**
 * The sweep of leftover node containers: a dead owner's containers go, unless they are node
 * containers of a data directory a live process owns (a restart there adopted them), or whose
 * owner died less than the grace period ago (a restart there may still adopt them).
 */
import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { nodeLabels, taskContainerLabels } from "../../../src/backends/local/docker/labels.js";
import { ORPHAN_GRACE_MS, sweepLeftovers } from "../../../src/backends/local/docker/leftover-sweeper.js";
import { ownerPidFile } from "../../../src/backends/local/state/data-dir-owner.js";
import { FakeClock } from "../../support/fake-clock.js";
import { FakeNodeRuntime } from "../../support/fake-node-runtime.js";

const DEAD = 999_999_001;
const LIVE = 999_999_002;
const isProcessAlive = (pid: number) => pid === LIVE || pid === process.pid;
const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A data directory whose lock names `pid`, last touched `ageMs` ago. */
async function dataDirOwnedBy(pid: number | undefined, ageMs = 0): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "malachite-sweep-"));
  dirs.push(dir);
  if (pid !== undefined) {
    await mkdir(path.dirname(ownerPidFile(dir)), { recursive: true });
    await writeFile(ownerPidFile(dir), String(pid));
    const touched = new Date(Date.now() - ageMs);
    await utimes(ownerPidFile(dir), touched, touched);
  }
  return dir;
}

async function startContainer(runtime: FakeNodeRuntime, name: string, labels: Record<string, string>): Promise<void> {
  await runtime.startNode({ name, image: "img", labels: { ...labels, "malachite.owner-pid": String(DEAD) }, hostNodeRootDir: "/tmp/x", nodeRootDir: "/mnt" });
}

describe("the sweep of leftover containers", () => {
  it("keeps a dead owner's node containers of a data directory a live process owns; removes those of an unowned or dead-owned one", async () => {
    const runtime = new FakeNodeRuntime(new FakeClock());
    const owned = await dataDirOwnedBy(LIVE, 2 * ORPHAN_GRACE_MS);
    const deadOwner = await dataDirOwnedBy(DEAD, ORPHAN_GRACE_MS + 1_000);
    const unowned = await dataDirOwnedBy(undefined);
    const node = (nodeId: string, dataDir?: string) => nodeLabels({ sessionId: "old", poolId: "pool", nodeId, ...(dataDir ? { dataDir } : {}) });
    await startContainer(runtime, "adopted", node("a", owned));
    await startContainer(runtime, "dead-owner", node("b", deadOwner));
    await startContainer(runtime, "unowned", node("c", unowned));
    await startContainer(runtime, "in-memory", node("d"));
    await startContainer(runtime, "task-of-adopted", taskContainerLabels({ sessionId: "old", poolId: "pool", nodeId: "a", dataDir: owned }, "job/task"));

    const removed = await sweepLeftovers(runtime, { isProcessAlive });

    expect(removed.sort()).toEqual(["dead-owner", "in-memory", "task-of-adopted", "unowned"]);
    expect([...runtime.nodes.values()].map((n) => n.spec.name)).toEqual(["adopted"]);
  });

  it("keeps the node containers of a data directory whose owner died within the grace period, for a restart to adopt; 0 removes them", async () => {
    const runtime = new FakeNodeRuntime(new FakeClock());
    const crashedJustNow = await dataDirOwnedBy(DEAD, 1_000);
    const crashedLongAgo = await dataDirOwnedBy(DEAD, ORPHAN_GRACE_MS + 1_000);
    const node = (nodeId: string, dataDir: string) => nodeLabels({ sessionId: "old", poolId: "pool", nodeId, dataDir });
    await startContainer(runtime, "recent", node("a", crashedJustNow));
    await startContainer(runtime, "stale", node("b", crashedLongAgo));

    expect(await sweepLeftovers(runtime, { isProcessAlive })).toEqual(["stale"]);
    // Later on the same clock, the grace period has passed for the other one too.
    expect(await sweepLeftovers(runtime, { isProcessAlive, now: () => Date.now() + ORPHAN_GRACE_MS })).toEqual(["recent"]);

    await startContainer(runtime, "swept-by-hand", node("c", await dataDirOwnedBy(DEAD)));
    expect(await sweepLeftovers(runtime, { isProcessAlive, orphanGraceMs: 0 })).toEqual(["swept-by-hand"]);
  });

  it("labels node containers with the data directory's absolute path, never task containers", () => {
    const input = { sessionId: "s", poolId: "p", nodeId: "n", dataDir: "relative/dir" };
    expect(nodeLabels(input)["malachite.data-dir"]).toBe(path.resolve("relative/dir"));
    expect(taskContainerLabels(input, "startup")["malachite.data-dir"]).toBeUndefined();
  });
});
