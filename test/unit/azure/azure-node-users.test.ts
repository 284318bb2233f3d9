/** The Azure backend's node users and named user identities: REST requests through @azure/batch 10.2.0 (no network). */
import { describe, expect, it } from "vitest";
import { backendAnswering } from "./fake-batch-service.js";

describe("AzureBackend node users", () => {
  it("adds, replaces and deletes a node user with the REST verbs, paths and names", async () => {
    const seen: { method: string; path: string; body?: unknown }[] = [];
    const { backend } = await backendAnswering((request, url) => {
      if (!url.pathname.includes("/users")) return undefined;
      seen.push({ method: request.method, path: url.pathname, ...(request.body ? { body: JSON.parse(request.body as string) } : {}) });
      return { status: request.method === "POST" ? 201 : 200 };
    });
    await backend.batch.computeNode.addUser("pool1", "tvm-1", { name: "alice", isAdmin: true, expiryTime: "2030-01-02T03:04:05.000Z", password: "pw" });
    await backend.batch.computeNode.updateUser("pool1", "tvm-1", "alice", { sshPublicKey: "ssh-rsa AAAA" });
    await backend.batch.computeNode.deleteUser("pool1", "tvm-1", "alice");
    expect(seen).toEqual([
      {
        method: "POST",
        path: "/pools/pool1/nodes/tvm-1/users",
        body: { name: "alice", isAdmin: true, expiryTime: "2030-01-02T03:04:05.000Z", password: "pw" },
      },
      { method: "PUT", path: "/pools/pool1/nodes/tvm-1/users/alice", body: { sshPublicKey: "ssh-rsa AAAA" } },
      { method: "DELETE", path: "/pools/pool1/nodes/tvm-1/users/alice" },
    ]);
  });

  it("sends a pool's userAccounts and a task's userIdentity.username under their REST names", async () => {
    const bodies: unknown[] = [];
    const { backend } = await backendAnswering((request, url) => {
      if (request.method !== "POST") return undefined;
      bodies.push(JSON.parse(request.body as string));
      return url.pathname === "/pools" ? { status: 201, json: {} } : { status: 201 };
    });
    const userAccounts = [{ name: "svc", password: "pw", elevationLevel: "admin" as const, linuxUserConfiguration: { uid: 4000, gid: 4000 } }];
    await backend.batch.pool
      .add({ id: "p", vmSize: "standard_a1", userAccounts, startTask: { commandLine: "true", userIdentity: { username: "svc" } } })
      .catch(() => undefined);
    expect(bodies[0]).toMatchObject({ userAccounts, startTask: { commandLine: "true", userIdentity: { username: "svc" } } });
  });
});
