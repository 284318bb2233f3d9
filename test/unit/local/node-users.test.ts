/** Node users (`ComputeNode_AddUser`, `_UpdateUser`, `_DeleteUser`) through @azure/batch 10.2.0, on the fake runtime's user tables. */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rejectionOf, restErrorOf } from "../../support/rejection-of.js";
import { signedFetcher } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
let client: BatchServiceClient;
let nodeId: string;

/** The one node's container, as the fake runtime knows it. */
function container(): string {
  const running = [...bed.runtime.nodes.values()].filter((node) => node.running);
  expect(running).toHaveLength(1);
  return running[0]?.containerId as string;
}

async function journalText(): Promise<string> {
  const files = await readdir(bed.dataDir, { recursive: true });
  const texts = await Promise.all(
    files.filter((file) => /journal|state/i.test(file)).map((file) => readFile(path.join(bed.dataDir, file), "utf8").catch(() => "")),
  );
  return texts.join("\n");
}

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  const { nodes } = await bed.addPool("p");
  nodeId = nodes[0]?.id as string;
});

afterEach(async () => {
  await bed.close();
});

describe("node users", () => {
  it("add: a Linux account with a home and bash in the Batch group, its password only hashed, expiring a day later by default (201)", async () => {
    const answer = await client.computeNode.addUser("p", nodeId, { name: "alice", password: "S3cret-pass!" });
    expect(answer._response.status).toBe(201);
    const account = bed.runtime.users.account(container(), "alice");
    expect(account).toMatchObject({ home: "/home/alice", shell: "/bin/bash", groups: ["_azbatch"] });
    expect(account?.passwordHash).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    const dayLater = bed.clock.now() + 24 * 3600 * 1000;
    const dayMs = 24 * 3600 * 1000;
    expect(account?.expireDate).toBe(new Date(Math.ceil(dayLater / dayMs) * dayMs).toISOString().slice(0, 10));
    expect(await journalText()).not.toContain("S3cret-pass!");
    expect(JSON.stringify(bed.runtime.processes.map((p) => p.argv))).not.toContain("S3cret-pass!");
  });

  it("an administrator is in the sudo group; an explicit expiry time is kept to the day (rounded up)", async () => {
    await client.computeNode.addUser("p", nodeId, {
      name: "root-ish",
      isAdmin: true,
      expiryTime: new Date("2031-05-06T07:08:09Z"),
      sshPublicKey: "ssh-rsa AAAAB3Nza root-ish@host",
    });
    expect(bed.runtime.users.account(container(), "root-ish")).toMatchObject({
      groups: ["_azbatch", "sudo"],
      expireDate: "2031-05-07",
      passwordHash: "!",
      authorizedKeys: "ssh-rsa AAAAB3Nza root-ish@host\n",
    });
  });

  it("a name taken by a node user or by an account of the node image is 409 NodeUserExists", async () => {
    await client.computeNode.addUser("p", nodeId, { name: "bob" });
    for (const name of ["bob", "root", "_azbatch"]) {
      const error = await restErrorOf(client.computeNode.addUser("p", nodeId, { name }));
      expect([error.statusCode, error.code]).toEqual([409, "NodeUserExists"]);
    }
  });

  it("refuses a name Linux cannot take (400 InvalidPropertyValue), a body without a name (400), an unknown node (404 NodeNotFound)", async () => {
    const invalid = await restErrorOf(client.computeNode.addUser("p", nodeId, { name: "-rf" }));
    expect([invalid.statusCode, invalid.code]).toEqual([400, "InvalidPropertyValue"]);
    const fetch = signedFetcher(bed.account);
    const missing = await fetch(`/pools/p/nodes/${nodeId}/users`, { json: { isAdmin: true } });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ code: "MissingRequiredProperty" });
    const noNode = await restErrorOf(client.computeNode.addUser("p", "tvm-nope", { name: "carol" }));
    expect([noNode.statusCode, noNode.code]).toEqual([404, "NodeNotFound"]);
  });

  it("update replaces password, expiry and key: what is omitted is removed or defaults (200); an unknown user is 404 NodeUserNotFound", async () => {
    await client.computeNode.addUser("p", nodeId, { name: "dave", password: "first", expiryTime: new Date("2030-01-01T00:00:00Z") });
    const before = bed.runtime.users.account(container(), "dave")?.passwordHash;
    const answer = await client.computeNode.updateUser("p", nodeId, "dave", { password: "second", expiryTime: new Date("2032-02-02T00:00:00Z") });
    expect(answer._response.status).toBe(200);
    const after = bed.runtime.users.account(container(), "dave");
    expect(after?.passwordHash).toMatch(/^\$6\$/);
    expect(after?.passwordHash).not.toBe(before);
    expect(after?.expireDate).toBe("2032-02-02");
    await client.computeNode.updateUser("p", nodeId, "dave", { sshPublicKey: "ssh-ed25519 AAAAC3Nz dave@laptop" });
    expect(bed.runtime.users.account(container(), "dave")).toMatchObject({ passwordHash: "!", authorizedKeys: "ssh-ed25519 AAAAC3Nz dave@laptop\n" });
    await client.computeNode.updateUser("p", nodeId, "dave", {});
    expect(bed.runtime.users.account(container(), "dave")?.authorizedKeys).toBeUndefined();
    const unknown = await restErrorOf(client.computeNode.updateUser("p", nodeId, "nobody", { password: "x" }));
    expect([unknown.statusCode, unknown.code]).toEqual([404, "NodeUserNotFound"]);
  });

  it("delete removes the account (200); deleting it again, or an account the API did not add, is 404 NodeUserNotFound", async () => {
    await client.computeNode.addUser("p", nodeId, { name: "erin" });
    const answer = await client.computeNode.deleteUser("p", nodeId, "erin");
    expect(answer._response.status).toBe(200);
    expect(bed.runtime.users.account(container(), "erin")).toBeUndefined();
    for (const name of ["erin", "_azbatch"]) {
      const error = await restErrorOf(client.computeNode.deleteUser("p", nodeId, name));
      expect([error.statusCode, error.code]).toEqual([404, "NodeUserNotFound"]);
    }
    // The name is free again.
    await client.computeNode.addUser("p", nodeId, { name: "erin" });
  });

  it("an account whose creation fails midway is removed again (500), so the name stays free", async () => {
    bed.runtime.users.failing.add("sh");
    // Through the backend: the SDK would retry a 500.
    const error = await rejectionOf(bed.batch.computeNode.addUser("p", nodeId, { name: "ivan", sshPublicKey: "ssh-ed25519 AAAA ivan" }));
    expect([error.statusCode, error.code]).toEqual([500, "InternalError"]);
    expect(bed.runtime.users.account(container(), "ivan")).toBeUndefined();
    bed.runtime.users.failing.clear();
    await client.computeNode.addUser("p", nodeId, { name: "ivan", sshPublicKey: "ssh-ed25519 AAAA ivan" });
    expect(bed.runtime.users.account(container(), "ivan")?.authorizedKeys).toBe("ssh-ed25519 AAAA ivan\n");
  });

  it("a node keeps its users across a reboot (its new container gets them again); a reimage drops them", async () => {
    await client.computeNode.addUser("p", nodeId, { name: "carol" });
    const idleAgain = async (starts: number) => {
      await bed.waitFor(() => bed.runtime.nodeStarts.length === starts, "the node's new container");
      await bed.waitFor(async () => (await client.computeNode.get("p", nodeId)).state === "idle", "the node to be idle");
    };
    await client.computeNode.reboot("p", nodeId);
    await idleAgain(2);
    expect(bed.runtime.users.account(container(), "carol")).toBeDefined();
    await client.computeNode.reimage("p", nodeId);
    await idleAgain(3);
    expect(bed.runtime.users.account(container(), "carol")).toBeUndefined();
    const error = await restErrorOf(client.computeNode.deleteUser("p", nodeId, "carol"));
    expect([error.statusCode, error.code]).toEqual([404, "NodeUserNotFound"]);
  });

  it("a node that is not idle or running refuses user changes with the service's 409 for its state", async () => {
    const start = bed.runtime.hold("setup");
    await client.pool.add({
      id: "slow",
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 1,
      startTask: { commandLine: "setup", waitForSuccess: true },
    });
    const node = await bed.waitFor(async () => {
      const [first] = await bed.batch.computeNode.list("slow");
      return first?.state === "waitingforstarttask" && first;
    }, "a node waiting for its start task");
    const starting = await restErrorOf(client.computeNode.addUser("slow", node.id, { name: "frank" }));
    expect([starting.statusCode, starting.code]).toEqual([409, "NodeBeingStarted"]);
    await bed.waitFor(() => start.running.length === 1, "the start task to run");
    start.finishAll(1);
    await bed.waitFor(async () => (await bed.batch.computeNode.get("slow", node.id)).state === "starttaskfailed", "the start task to fail");
    const failed = await restErrorOf(client.computeNode.addUser("slow", node.id, { name: "frank" }));
    expect([failed.statusCode, failed.code]).toEqual([409, "OperationNotValidOnNode"]);
  });
});

describe("tasks as a named user", () => {
  it("a task with userIdentity.userName runs as that account (by name: its groups apply), with AZ_BATCH_TASK_USER and _IDENTITY its name", async () => {
    await client.computeNode.addUser("p", nodeId, { name: "grace" });
    const account = bed.runtime.users.account(container(), "grace");
    await client.job.add({ id: "j", poolInfo: { poolId: "p" } });
    await client.task.add("j", { id: "t", commandLine: "/bin/true", userIdentity: { userName: "grace" } });
    const task = await bed.taskIn("j", "t", "completed");
    expect(task.executionInfo?.result).toBe("success");
    const [run] = bed.runtime.processesOf("t");
    expect(run?.user).toBe("grace");
    // Its task directory is the account's own.
    const taskDir = path.join(bed.dataDir, "nodes", "p", nodeId, "workitems", "j", "job-1", "t");
    if (process.getuid?.() === 0) expect(await stat(taskDir)).toMatchObject({ uid: account?.uid, gid: account?.gid });
    expect(run?.env).toMatchObject({ AZ_BATCH_TASK_USER: "grace", AZ_BATCH_TASK_USER_IDENTITY: "grace", USER: "grace" });
    expect((await client.task.get("j", "t")).userIdentity).toEqual({ userName: "grace" });
  });

  it("a task whose user the node lacks completes with a failure naming it, and never runs", async () => {
    await client.job.add({ id: "j", poolInfo: { poolId: "p" } });
    await client.task.add("j", { id: "t", commandLine: "/bin/true", userIdentity: { userName: "ghost" } });
    const task = await bed.taskIn("j", "t", "completed");
    expect(task.executionInfo?.result).toBe("failure");
    expect(task.executionInfo?.failureInfo).toMatchObject({
      category: "usererror",
      code: "CommandLaunchFailed",
      details: [{ name: "UserName", value: "ghost" }],
    });
    expect(bed.runtime.processesOf("t")).toHaveLength(0);
  });

  it("a container task as a named user runs as its uid:gid (the task's image knows none of the node's accounts)", async () => {
    const image = "registry.malachite.test/worker:1";
    bed.runtime.addImage(image);
    await bed.addPool("cp", {
      virtualMachineConfiguration: {
        imageReference: {},
        nodeAgentSKUId: "batch.node.ubuntu 22.04",
        containerConfiguration: { type: "dockerCompatible", containerImageNames: [image] },
      },
      userAccounts: [{ name: "worker", password: "pw", linuxUserConfiguration: { uid: 4100, gid: 4100 } }],
    });
    await client.job.add({ id: "cj", poolInfo: { poolId: "cp" } });
    await client.task.add("cj", { id: "t", commandLine: "/bin/true", containerSettings: { imageName: image }, userIdentity: { userName: "worker" } });
    expect((await bed.taskIn("cj", "t", "completed")).executionInfo?.result).toBe("success");
    const [run] = bed.runtime.processesOf("t");
    expect([run?.kind, run?.user]).toEqual(["container", "4100:4100"]);
  });

  it("job preparation and manager tasks may name a user too", async () => {
    await client.computeNode.addUser("p", nodeId, { name: "heidi" });

    await client.job.add({
      id: "j",
      poolInfo: { poolId: "p" },
      jobPreparationTask: { commandLine: "/bin/true", userIdentity: { userName: "heidi" } },
      jobManagerTask: { id: "manager", commandLine: "/bin/true", userIdentity: { userName: "heidi" } },
    });
    await bed.taskIn("j", "manager", "completed");
    const processes = bed.runtime.processes.filter((p) => p.env.AZ_BATCH_TASK_USER === "heidi");
    expect(processes.map((p) => p.user)).toEqual(["heidi", "heidi"]);
  });
});
