import os from "node:os";
import { describe, expect, it } from "vitest";
import { LABEL } from "../../../src/backends/local/docker/labels.js";
import { composeLeftoverSweep } from "../../../src/composition-root.js";
import { loadConfig } from "../../../src/core/config/index.js";
import { StubNodeRuntime } from "./stub-local-dependencies.js";

function container(id: string, ownerPid: number) {
  return { id, name: `malachite-${id}`, labels: { [LABEL.managed]: "true", [LABEL.ownerPid]: String(ownerPid), [LABEL.ownerHost]: os.hostname() } };
}

describe("malachite sweep, composed", () => {
  const gonePid = 2_147_483_646;

  it("removes the containers of dead owners on the local backend's node runtime, without starting the backend", async () => {
    const runtime = new StubNodeRuntime([container("leftover", gonePid), container("alive", process.pid)]);
    const sweep = await composeLeftoverSweep(loadConfig({ backend: "local" }, {}, os.tmpdir()), { local: { runtime } });
    expect(await sweep()).toEqual(["malachite-leftover"]);
    expect(runtime.removed).toEqual(["leftover"]);
  });

  it("is a local backend matter", async () => {
    await expect(composeLeftoverSweep(loadConfig({ backend: "azure" }, {}, os.tmpdir()))).rejects.toThrow(/local backend only, not 'azure'/);
  });
});
