import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/core/config/index.js";

describe("loadConfig", () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), "malachite-config-"));

  it("defaults to the local backend with in-memory Azurite on a free port", () => {
    const config = loadConfig({}, {}, cwd);
    expect(config.backend).toBe("local");
    expect(config.local.azurite).toEqual({ port: 0, location: undefined });
    expect(config.local.dataDir).toBe(path.join(cwd, ".malachite"));
  });

  it("takes the flag over the environment over the config file", () => {
    const file = path.join(cwd, "custom.json");
    writeFileSync(file, JSON.stringify({ backend: "local", local: { dataDir: "from-file", azurite: { port: 10500 } } }));
    expect(loadConfig({ config: file }, {}, cwd).local.dataDir).toBe(path.join(cwd, "from-file"));
    expect(loadConfig({ config: file }, {}, cwd).local.azurite.port).toBe(10500);
    expect(loadConfig({ config: file }, { MALACHITE_DATA_DIR: "from-env" }, cwd).local.dataDir).toBe(path.join(cwd, "from-env"));
    expect(loadConfig({ config: file, dataDir: "from-flag" }, { MALACHITE_DATA_DIR: "from-env" }, cwd).local.dataDir).toBe(path.join(cwd, "from-flag"));
  });

  it("reads the Spot preemption rate and seed from the environment over the config file, and refuses a negative rate", () => {
    const file = path.join(cwd, "spot.json");
    writeFileSync(file, JSON.stringify({ local: { spotPreemptionRatePerHour: 2, spotPreemptionSeed: 7 } }));
    expect(loadConfig({ config: file }, {}, cwd).local).toMatchObject({ spotPreemptionRatePerHour: 2, spotPreemptionSeed: 7 });
    expect(loadConfig({ config: file }, { MALACHITE_SPOT_PREEMPTION_RATE: "0.5" }, cwd).local.spotPreemptionRatePerHour).toBe(0.5);
    expect(loadConfig({}, {}, cwd).local.spotPreemptionRatePerHour).toBeUndefined();
    expect(() => loadConfig({}, { MALACHITE_SPOT_PREEMPTION_RATE: "-1" }, cwd)).toThrow(ConfigError);
  });

  it("reads malachite.config.json from the working directory", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "malachite-config-"));
    writeFileSync(path.join(dir, "malachite.config.json"), JSON.stringify({ local: { baseImage: "my/base:1" } }));
    expect(loadConfig({}, {}, dir).local.baseImage).toBe("my/base:1");
  });

  it("asks the entry point's defaults only for what nothing else sets (no temporary directory made in vain)", () => {
    const defaults = {
      dataDir: () => {
        throw new Error("the default data directory was made although one was set");
      },
      azuritePort: 10000,
    };
    expect(loadConfig({ dataDir: "set" }, {}, cwd, defaults).local).toMatchObject({ dataDir: path.join(cwd, "set"), azurite: { port: 10000 } });
    expect(loadConfig({}, { MALACHITE_DATA_DIR: "set" }, cwd, defaults).local.dataDir).toBe(path.join(cwd, "set"));
  });

  it("rejects an unknown backend, a bad port, a missing or broken file with a clear message", () => {
    expect(() => loadConfig({ backend: "gcp" }, {}, cwd)).toThrow(/unknown backend 'gcp': choose one of local, azure/);
    expect(() => loadConfig({}, { MALACHITE_BACKEND: "nope" }, cwd)).toThrow(ConfigError);
    expect(() => loadConfig({}, { MALACHITE_AZURITE_PORT: "70000" }, cwd)).toThrow(/invalid Azurite port/);
    expect(() => loadConfig({ config: path.join(cwd, "missing.json") }, {}, cwd)).toThrow(/config file not found/);
    const broken = path.join(cwd, "broken.json");
    writeFileSync(broken, "{");
    expect(() => loadConfig({ config: broken }, {}, cwd)).toThrow(/not valid JSON/);
  });
});
