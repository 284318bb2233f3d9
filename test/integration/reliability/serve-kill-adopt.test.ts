/**
 * `malachite serve` killed with SIGKILL while one node is idle and a task runs on the other, then
 * started again on the same data directory: both nodes are adopted with their containers (the
 * start task does not run again), the task's process did not outlive the kill (its agent ended
 * it), the task is requeued and completes, and a new task runs on an adopted node. A sweep by
 * another Malachite in between leaves the nodes for the restart.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DockerNodeRuntime } from "../../../src/backends/local/docker/docker-node-runtime.js";
import { LABEL } from "../../../src/backends/local/docker/labels.js";
import { sweepLeftovers } from "../../../src/backends/local/docker/leftover-sweeper.js";
import { waitUntil } from "../../contract/wait-until.js";
import { freePort, isListening, startServe, type ServeProcess } from "./serve-process.js";

const POOL_ID = "AdoptPool";
const JOB_ID = "AdoptJob";
/** The first run records its pid and sleeps; a run after the requeue finds the marker and ends. */
const LONG_TASK = "/bin/sh -c 'if [ -e $AZ_BATCH_NODE_SHARED_DIR/ran ]; then exit 0; fi; touch $AZ_BATCH_NODE_SHARED_DIR/ran; exec sleep 300'";

describe("malachite serve killed with SIGKILL, one node idle and a task running on the other", () => {
  it("adopts both node containers on restart; the task's process is gone, the task is requeued and completes", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "malachite-adopt-"));
    const blobPort = await freePort();
    const args = ["--port", String(await freePort()), "--blob-port", String(blobPort), "--data-dir", dataDir];
    const runtime = new DockerNodeRuntime();
    const servePids: number[] = [];
    const ofFirstRun = async () => (await runtime.listManaged({ [LABEL.ownerPid]: String(servePids[0]) })).map((c) => c.id).sort();
    const sleepers = async (ids: string[]) => {
      const tops = await Promise.all(ids.map((id) => runtime.docker.getContainer(id).top()));
      return tops.flatMap((top) => ((top as { Processes?: string[][] }).Processes ?? []).filter((p) => p.some((column) => column.includes("sleep 300"))));
    };
    let second: ServeProcess | undefined;
    const first = await startServe(args);
    servePids.push(first.pid);
    try {
      const client = first.client;
      await client.pool.add({
        id: POOL_ID,
        vmSize: "standard_d2s_v3",
        targetDedicatedNodes: 2,
        startTask: { commandLine: "/bin/sh -c 'echo booted >> $AZ_BATCH_NODE_SHARED_DIR/boots'", waitForSuccess: true },
      });
      const nodesBefore = await waitUntil(
        () => client.computeNode.list(POOL_ID),
        (nodes) => nodes.length === 2 && nodes.every((n) => n.state === "idle"),
        { timeoutMs: 90_000, what: "two idle nodes" },
      );
      await client.job.add({ id: JOB_ID, poolInfo: { poolId: POOL_ID } });
      await client.task.add(JOB_ID, { id: "long", commandLine: LONG_TASK });
      const containers = await ofFirstRun();
      expect(containers).toHaveLength(2);
      await waitUntil(
        () => sleepers(containers),
        (found) => found.length === 1,
        { timeoutMs: 60_000, what: "the long task's process" },
      );
      const nodes = await client.computeNode.list(POOL_ID);
      expect(nodes.map((n) => n.state).sort()).toEqual(["idle", "running"]);

      first.child.kill("SIGKILL");
      expect((await first.exited).signal).toBe("SIGKILL");
      // The agent ends what the dead process started.
      await waitUntil(
        () => sleepers(containers),
        (found) => found.length === 0,
        { timeoutMs: 15_000, what: "the long task's process to be killed by its agent" },
      );
      await waitUntil(
        () => isListening(blobPort),
        (listening) => !listening,
        { timeoutMs: 15_000, what: "the first Azurite to stop" },
      );

      // Another Malachite starting meanwhile (a parallel test, a second emulator) sweeps leftovers: it spares these nodes for the restart.
      await sweepLeftovers(runtime);
      expect(await ofFirstRun()).toEqual(containers);

      second = await startServe(args);
      servePids.push(second.pid);
      const client2 = second.client;
      const adopted = await client2.computeNode.list(POOL_ID);
      // Up at once, not rebooting; the requeued task may already have started again on one of them.
      for (const node of adopted) expect(["idle", "running"], node.id).toContain(node.state);
      for (const node of adopted) {
        const earlier = nodesBefore.find((n) => n.id === node.id);
        expect(node.lastBootTime, node.id).toEqual(earlier?.lastBootTime);
        expect(node.startTaskInfo, node.id).toEqual(earlier?.startTaskInfo);
        // The start task ran once on this node, before the kill.
        expect(readFileSync(path.join(dataDir, "nodes", POOL_ID, node.id as string, "shared", "boots"), "utf8")).toBe("booted\n");
      }
      expect(await ofFirstRun()).toEqual(containers);

      const long = await waitUntil(
        () => client2.task.get(JOB_ID, "long"),
        (task) => task.state === "completed",
        { timeoutMs: 60_000, intervalMs: 100, what: "the requeued task to complete" },
      );
      expect(long.executionInfo).toMatchObject({ requeueCount: 1, result: "success", exitCode: 0 });
      await client2.task.add(JOB_ID, { id: "after", commandLine: "/bin/sh -c 'cat $AZ_BATCH_NODE_SHARED_DIR/boots'" });
      const after = await waitUntil(
        () => client2.task.get(JOB_ID, "after"),
        (task) => task.state === "completed",
        { timeoutMs: 60_000, intervalMs: 100, what: "a new task on an adopted node" },
      );
      expect(after.executionInfo).toMatchObject({ result: "success", exitCode: 0 });
      expect(nodesBefore.map((n) => n.id)).toContain(after.nodeInfo?.nodeId);
      expect(await ofFirstRun()).toEqual(containers);

      second.child.kill("SIGINT");
      expect((await second.exited).code).toBe(0);
      expect(await ofFirstRun()).toEqual([]); // Ctrl-C removes the adopted containers too
    } finally {
      for (const serve of [first, second]) if (serve && serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill("SIGINT");
      await Promise.all([first.exited, second?.exited]);
      for (const id of await ofFirstRun()) await runtime.removeNode(id);
    }
  });
});
