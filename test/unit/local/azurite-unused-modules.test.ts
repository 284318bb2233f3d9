import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { azuriteEnvironment, azuriteNodeArguments } from "../../../src/backends/local/azurite/azurite-command-line.js";
import { UNUSED_MODULES_PRELOAD_URL } from "../../../src/backends/local/azurite/azurite-unused-modules.js";

const run = promisify(execFile);

/** Runs CommonJS `code` in a child node with the preload, from the project root (so `require` finds node_modules). */
async function withPreload(code: string): Promise<string> {
  const { stdout } = await run(process.execPath, ["--import", UNUSED_MODULES_PRELOAD_URL, "-e", code], { cwd: process.cwd() });
  return stdout.trim();
}

describe("Azurite's unused modules", () => {
  it("are placeholders in the child: sequelize's Model can be extended, anything else throws naming the package", async () => {
    const out = await withPreload(`
      const sequelize = require("sequelize");
      class Blobs extends sequelize.Model {}
      const attempt = (f) => { try { f(); return "no error"; } catch (e) { return e.message; } };
      console.log(JSON.stringify([
        typeof Blobs,
        attempt(() => Blobs.init({}, {})),
        attempt(() => sequelize.DataTypes),
        attempt(() => require("applicationinsights").setup("x")),
        typeof require("express"),
      ]));
    `);
    expect(JSON.parse(out)).toEqual([
      "function",
      "sequelize is not loaded in Malachite's Azurite (Model.init was used)",
      "sequelize is not loaded in Malachite's Azurite (DataTypes was used)",
      "applicationinsights is not loaded in Malachite's Azurite (setup was used)",
      "function",
    ]);
  });

  it("are left out of every Azurite start, and AZURITE_DB (the SQL store that needs sequelize) is not passed on", () => {
    const args = azuriteNodeArguments({ host: "127.0.0.1", port: 0, dataDir: undefined, silent: true, debugLogPath: undefined });
    expect(args.slice(2, 4)).toEqual(["--import", UNUSED_MODULES_PRELOAD_URL]);
    process.env.AZURITE_DB = "mysql://user:pass@127.0.0.1:3306/azurite";
    try {
      expect(azuriteEnvironment().AZURITE_DB).toBeUndefined();
    } finally {
      delete process.env.AZURITE_DB;
    }
  });
});
