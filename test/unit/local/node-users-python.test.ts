/**
 * Node users, pool user accounts and named user identities through the Python SDK (Debian's
 * python3-azure, azure-batch 13.0.1) against the in-process server on the fake node runtime:
 * test/clients/python/node_users.py.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IN_CI, missingPythonClient, runPythonSummary } from "../../support/python-client.js";
import { TestBed } from "../../support/test-bed.js";

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../clients/python/node_users.py");

const missing = missingPythonClient();
if (missing && !IN_CI) console.warn(`node-users-python.test.ts skipped: ${missing}`);

describe.skipIf(missing !== undefined && !IN_CI)(`node users through the Python SDK${missing ? ` [${missing}]` : ""}`, () => {
  let bed: TestBed;

  beforeAll(async () => {
    if (missing) throw new Error(`CI=${process.env.CI}: the Python client must be installed (.ci/run installs python3-azure): ${missing}`);
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
