/**
 * Node users and named user identities on real Docker nodes: pool accounts exist before the start
 * task, a node user is a real Linux account (its password hash is the one `openssl passwd`
 * computes, an administrator is in `sudo`), tasks run as its uid, and a deleted user is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalBackend } from "../../src/backends/local/local-backend.js";
import type { CloudTask, TaskAddParameter } from "../../src/core/models/index.js";
import { uniqueId, waitUntil } from "../contract/wait-until.js";
import { startLocalBackend } from "./local-test-backend.js";

const bash = (script: string) => `/bin/bash -c '${script.replace(/'/g, `'\\''`)}'`;
const ROOT = { autoUser: { scope: "pool", elevationLevel: "admin" } } as const;

describe("local node users", () => {
  let backend: LocalBackend;
  const poolId = uniqueId("upool");
  const jobId = uniqueId("ujob");
  let nodeId: string;

  async function run(task: TaskAddParameter): Promise<{ task: CloudTask; stdout: string; stderr: string }> {
    await backend.batch.task.add(jobId, task);
    const done = await waitUntil(
      () => backend.batch.task.get(jobId, task.id),
      (t) => t.state === "completed",
      { what: `task ${task.id}`, timeoutMs: 60_000 },
    );
    const read = async (name: string) => (await backend.batch.file.getFromTask(jobId, task.id, name).catch(() => Buffer.from(""))).toString("utf8");
    return { task: done, stdout: await read("stdout.txt"), stderr: await read("stderr.txt") };
  }

  beforeAll(async () => {
    backend = await startLocalBackend();
    await backend.batch.pool.add({
      id: poolId,
      vmSize: "standard_a1",
      targetDedicatedNodes: 1,
      userAccounts: [{ name: "svc", password: "svc-Pass-1", linuxUserConfiguration: { uid: 4321, gid: 4321 } }],
      startTask: { commandLine: bash("id -u; id -g; echo $AZ_BATCH_TASK_USER"), userIdentity: { username: "svc" }, waitForSuccess: true },
    });
    const [node] = await waitUntil(
      () => backend.batch.computeNode.list(poolId),
      (nodes) => nodes.length === 1 && nodes.every((n) => n.state === "idle" || n.state === "starttaskfailed"),
      { timeoutMs: 120_000, what: "an idle node" },
    );
    nodeId = node?.id as string;
    await backend.batch.job.add({ id: jobId, poolInfo: { poolId } });
  }, 180_000);

  afterAll(async () => {
    await backend?.close();
  });

  it("the start task ran as the pool's account, made with its uid and gid before it", async () => {
    const node = await backend.batch.computeNode.get(poolId, nodeId);
    expect(node.state).toBe("idle");
    expect(node.startTaskInfo?.result).toBe("success");
    const stdout = (await backend.batch.file.getFromComputeNode(poolId, nodeId, "startup/stdout.txt")).toString("utf8");
    expect(stdout).toBe("4321\n4321\nsvc\n");
  });

  it("a node user is a Linux account: its password hash verifies, an admin is in sudo, tasks run as its uid, and deleting it removes it", async () => {
    await backend.batch.computeNode.addUser(poolId, nodeId, {
      name: "ops",
      isAdmin: true,
      password: "ops-Pass-2",
      sshPublicKey: "ssh-ed25519 AAAAC3Nz ops@laptop",
    });
    const inspect = await run({
      id: "inspect",
      commandLine: bash(
        'entry=$(getent shadow ops | cut -d: -f2); salt=$(echo "$entry" | cut -d\\$ -f3); ' +
          '[ "$(openssl passwd -6 -salt "$salt" ops-Pass-2)" = "$entry" ] && echo hash-ok; ' +
          'id -nG ops; getent passwd ops | cut -d: -f6,7; runuser -u ops -- id -un; stat -c "%U %a" /home/ops/.ssh/authorized_keys; cat /home/ops/.ssh/authorized_keys',
      ),
      userIdentity: ROOT,
    });
    expect(inspect.stderr).toBe("");
    const lines = inspect.stdout.trim().split("\n");
    expect(lines[0]).toBe("hash-ok");
    expect(lines[1]?.split(" ")).toEqual(expect.arrayContaining(["ops", "_azbatch", "sudo"]));
    expect(lines.slice(2)).toEqual(["/home/ops:/bin/bash", "ops", "ops 600", "ssh-ed25519 AAAAC3Nz ops@laptop"]);

    const asOps = await run({
      id: "as-ops",
      commandLine: bash("id -u; id -un; echo $AZ_BATCH_TASK_USER $AZ_BATCH_TASK_USER_IDENTITY; touch mine; stat -c %U mine; id -nG"),
      userIdentity: { username: "ops" },
    });
    expect(asOps.task.executionInfo?.result).toBe("success");
    const [uid, name, env, owner, groups] = asOps.stdout.trim().split("\n");
    expect(Number(uid)).toBeGreaterThanOrEqual(1000);
    expect([name, env, owner]).toEqual(["ops", "ops ops", "ops"]);
    // The task has the account's groups, as a login would: the Batch group and sudo.
    expect(groups?.split(" ")).toEqual(expect.arrayContaining(["ops", "_azbatch", "sudo"]));

    await backend.batch.computeNode.updateUser(poolId, nodeId, "ops", { password: "ops-Pass-3" });
    const updated = await run({
      id: "updated",
      commandLine: bash(
        'entry=$(getent shadow ops | cut -d: -f2); salt=$(echo "$entry" | cut -d\\$ -f3); [ "$(openssl passwd -6 -salt "$salt" ops-Pass-3)" = "$entry" ] && echo hash-ok',
      ),
      userIdentity: ROOT,
    });
    expect(updated.stdout).toBe("hash-ok\n");

    await backend.batch.computeNode.deleteUser(poolId, nodeId, "ops");
    const gone = await run({ id: "gone", commandLine: bash("getent passwd ops || echo no-ops; test -d /home/ops || echo no-home"), userIdentity: ROOT });
    expect(gone.stdout).toBe("no-ops\nno-home\n");
    const refused = await run({ id: "refused", commandLine: "/bin/true", userIdentity: { username: "ops" } });
    expect(refused.task.executionInfo?.failureInfo).toMatchObject({ code: "CommandLaunchFailed" });
  }, 180_000);
});
