/**
 * Node users, pool user accounts and named user identities through the Python SDK (Debian's
 * python3-azure, azure-batch 13.0.1) against the in-process server on the fake node runtime:
 * test/clients/python/node_users.py.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithPython, pythonClientScript } from "../../support/describe-with-python.js";
import { runPythonSummary } from "../../support/python-client.js";
import { TestBed } from "../../support/test-bed.js";

const SCRIPT = pythonClientScript("node_users.py");

describeWithPython("node users through the Python SDK", () => {
  let bed: TestBed;

  beforeAll(async () => {
    bed = await TestBed.start({ server: true });
  });

  afterAll(async () => {
    await bed?.close();
  });

  it("pool accounts, add_user, update_user, delete_user, and tasks as named users", { timeout: 120_000 }, async () => {
    const summary = await runPythonSummary<Record<string, unknown>>(SCRIPT, bed.account);
    expect(summary).toEqual({
      poolAccount: { name: "svc", password: null, elevation: "admin", uid: 4200 },
      startTask: "success",
      duplicate: "NodeUserExists",
      tasks: {
        "as-ops": ["success", null, "pyops"],
        "as-svc": ["success", null, "svc"],
        "as-ghost": ["failure", "CommandLaunchFailed", "ghost"],
      },
      deletedAgain: "NodeUserNotFound",
      updateUnknown: "NodeUserNotFound",
    });
    const [node] = bed.runtime.nodes.values();
    expect(bed.runtime.users.account(node?.containerId as string, "svc")).toMatchObject({ uid: 4200, groups: ["_azbatch", "sudo"] });
  });
});
