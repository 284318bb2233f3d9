/** A pool's `userAccounts` through @azure/batch 10.2.0: made on every node before its start task, which may run as one. */
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { restErrorOf } from "../../support/rejection-of.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
let client: BatchServiceClient;

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
});

afterEach(async () => {
  await bed.close();
});

const POOL = { id: "p", vmSize: "standard_d2s_v3", targetDedicatedNodes: 2 };

describe("pool user accounts", () => {
  it("are created on every node before the start task, which runs as one; the pool returns them without the password", async () => {
    await client.pool.add({
      ...POOL,
      userAccounts: [
        { name: "builder", password: "pw-builder", elevationLevel: "admin", linuxUserConfiguration: { uid: 4000, gid: 4000 } },
        { name: "runner", password: "pw-runner" },
      ],
      startTask: { commandLine: "/bin/true", userIdentity: { userName: "builder" }, waitForSuccess: true },
    });
    const nodes = await bed.waitFor(async () => {
      const list = await bed.batch.computeNode.list("p");
      return list.length === 2 && list.every((node) => node.state === "idle") && list;
    }, "two idle nodes");
    for (const node of nodes) expect(node.startTaskInfo?.result).toBe("success");
    const starts = bed.runtime.processes.filter((p) => p.env.AZ_BATCH_TASK_USER === "builder");
    expect(starts.map((p) => p.user)).toEqual(["builder", "builder"]);
    expect(starts[0]?.env.AZ_BATCH_TASK_USER_IDENTITY).toBe("builder");
    for (const fake of bed.runtime.nodes.values()) {
      expect(bed.runtime.users.account(fake.containerId, "builder")).toMatchObject({ uid: 4000, gid: 4000, groups: ["_azbatch", "sudo"] });
      expect(bed.runtime.users.account(fake.containerId, "builder")?.passwordHash).toMatch(/^\$6\$/);
      expect(bed.runtime.users.account(fake.containerId, "runner")).toMatchObject({ groups: ["_azbatch"] });
    }
    const pool = await client.pool.get("p");
    expect(pool.userAccounts).toEqual([{ name: "builder", elevationLevel: "admin", linuxUserConfiguration: { uid: 4000, gid: 4000 } }, { name: "runner" }]);
    expect(JSON.stringify(bed.runtime.processes.map((p) => p.argv))).not.toMatch(/pw-builder|pw-runner/);
  });

  it("an account may take a uid and gid the node image already uses (shared, as useradd --non-unique does)", async () => {
    await client.pool.add({
      ...POOL,
      targetDedicatedNodes: 1,
      userAccounts: [{ name: "shared", password: "pw", linuxUserConfiguration: { uid: 1001, gid: 1001 } }],
    });
    await bed.waitFor(async () => (await bed.batch.computeNode.list("p"))[0]?.state === "idle", "an idle node");
    const [fake] = bed.runtime.nodes.values();
    expect(bed.runtime.users.account(fake?.containerId as string, "shared")).toMatchObject({ uid: 1001, gid: 1001 });
  });

  it("tasks run as a pool account on any node", async () => {
    await client.pool.add({ ...POOL, targetDedicatedNodes: 1, userAccounts: [{ name: "runner", password: "pw" }] });
    await bed.waitFor(async () => (await bed.batch.computeNode.list("p"))[0]?.state === "idle", "an idle node");
    await client.job.add({ id: "j", poolInfo: { poolId: "p" } });
    await client.task.add("j", { id: "t", commandLine: "/bin/true", userIdentity: { userName: "runner" } });
    expect((await bed.taskIn("j", "t", "completed")).executionInfo?.result).toBe("success");
    expect(bed.runtime.processesOf("t")[0]?.env.AZ_BATCH_TASK_USER).toBe("runner");
  });

  it("refuses duplicate names, a uid without a gid, names Linux cannot take, Windows settings (400)", async () => {
    const cases: [object[], string][] = [
      [
        [
          { name: "a", password: "x" },
          { name: "a", password: "y" },
        ],
        "InvalidPropertyValue",
      ],
      [[{ name: "a", password: "x", linuxUserConfiguration: { uid: 4000 } }], "InvalidPropertyValue"],
      [[{ name: "no spaces", password: "x" }], "InvalidPropertyValue"],
      [[{ name: "a-name-longer-than-20", password: "x" }], "InvalidPropertyValue"],
      [[{ name: "a", password: "x", windowsUserConfiguration: { loginMode: "batch" } }], "UnsupportedProperty"],
      [[{ name: "a", password: "x", linuxUserConfiguration: { sshPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----" } }], "UnsupportedProperty"],
    ];
    for (const [userAccounts, code] of cases) {
      const error = await restErrorOf(client.pool.add({ ...POOL, id: "bad", userAccounts } as never));
      expect([error.statusCode, error.code], JSON.stringify(userAccounts)).toEqual([400, code]);
    }
    expect((await client.pool.exists("bad")).body).toBe(false);
  });
});
