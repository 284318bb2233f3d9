/**
 * `malachite app add NAME VERSION ZIPFILE` and `app list` on a data directory, and
 * `addApplicationPackage` of `startMalachite()`'s handle: what they add, a running Malachite on
 * that directory serves at once.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseAppArgs } from "../../../src/cli/app-args.js";
import { appCommand } from "../../../src/cli/app-command.js";
import { ConfigError } from "../../../src/core/config/index.js";
import { serveEmulator } from "../../../src/serve-emulator.js";
import { writeZip } from "../../support/zip-file.js";
import { stubLocalDependencies } from "./stub-local-dependencies.js";

let work: string;
let zip: string;

beforeEach(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "malachite-app-"));
  zip = await writeZip(path.join(work, "tool.zip"), [{ name: "bin/tool.sh", content: "#!/bin/sh\n", mode: 0o100755 }]);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await rm(work, { recursive: true, force: true });
});

describe("malachite app", () => {
  it("parses add and list, and refuses anything else", () => {
    expect(parseAppArgs(["add", "tool", "1.0", "tool.zip", "--default", "--data-dir", "d"])).toEqual({
      action: "add",
      applicationId: "tool",
      version: "1.0",
      zipFile: "tool.zip",
      makeDefault: true,
      displayName: undefined,
      dataDir: "d",
      config: undefined,
    });
    expect(parseAppArgs(["list"])).toEqual({ action: "list", dataDir: undefined, config: undefined });
    expect(() => parseAppArgs(["add", "tool"])).toThrow(ConfigError);
    expect(() => parseAppArgs(["remove", "tool"])).toThrow(ConfigError);
  });

  it("needs the data directory: there is no temporary default to add packages to", async () => {
    vi.stubEnv("MALACHITE_DATA_DIR", undefined);
    vi.stubEnv("MALACHITE_CONFIG", undefined);
    vi.spyOn(process, "cwd").mockReturnValue(work);
    await expect(appCommand(["add", "tool", "1.0", zip])).rejects.toThrow("malachite app needs the data directory");
  });

  it("adds to a data directory a running Malachite serves: GET /applications lists it at once, pools may reference it", async () => {
    const dataDir = path.join(work, "data");
    const malachite = await serveEmulator(
      { backend: "local", local: { dataDir, azurite: { port: 0 } }, azure: {} },
      { host: "127.0.0.1", port: 0, authentication: true },
      { local: stubLocalDependencies() },
    );
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(await appCommand(["add", "tool", "1.0", zip, "--default", "--display-name", "The tool", "--data-dir", dataDir])).toBe(0);
      await malachite.addApplicationPackage("other", "2", zip);
      expect(await appCommand(["list", "--data-dir", dataDir])).toBe(0);
      expect(write.mock.calls.map(([text]) => String(text)).join("")).toContain("other\t2\ntool\t1.0\n");
      const client = new BatchServiceClient(new BatchSharedKeyCredentials(malachite.batchAccountName, malachite.batchAccountKey), malachite.batchUrl);
      const tool = await client.application.get("tool");
      expect([tool.id, tool.displayName, tool.versions]).toEqual(["tool", "The tool", ["1.0"]]);
      await client.pool.add({ id: "p", vmSize: "standard_d2s_v3", applicationPackageReferences: [{ applicationId: "tool" }] });
      expect((await client.pool.get("p")).applicationPackageReferences).toEqual([{ applicationId: "tool" }]);
    } finally {
      write.mockRestore();
      await malachite.close();
    }
  });
});
