import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseTutorialArgs } from "../../../src/cli/parse-tutorial-args.js";
import { serveConfig } from "../../../src/cli/serve-config.js";
import { loadConfig, TUTORIAL_DEFAULTS, type MalachiteConfig } from "../../../src/core/config/index.js";
import { startMalachiteConfig } from "../../../src/start-malachite.js";

/** The settings an entry point may be given, as its flags or options. */
interface Given {
  dataDir?: string;
  blobPort?: number;
  blobLocation?: string;
  baseImage?: string;
  config?: string;
}

function commandLine(given: Given): string[] {
  const args: string[] = [];
  if (given.config) args.push("--config", given.config);
  if (given.dataDir) args.push("--data-dir", given.dataDir);
  if (given.blobPort !== undefined) args.push("--blob-port", String(given.blobPort));
  if (given.blobLocation) args.push("--blob-location", given.blobLocation);
  return args;
}

type EntryPoint = (given: Given, env: NodeJS.ProcessEnv, cwd: string) => MalachiteConfig;

/** Each entry point, and what it falls back to when nothing sets the data directory and the Azurite port. */
const ENTRY_POINTS: Array<{ name: string; resolve: EntryPoint; takesBaseImageFlag: boolean; defaultPort: number; temporaryDataDir: boolean }> = [
  {
    name: "malachite tutorial",
    resolve: (given, env, cwd) => loadConfig(parseTutorialArgs(commandLine(given)).flags, env, cwd, TUTORIAL_DEFAULTS),
    takesBaseImageFlag: false,
    defaultPort: 0,
    temporaryDataDir: false,
  },
  {
    name: "malachite serve",
    resolve: (given, env, cwd) => serveConfig(commandLine(given), env, cwd).config,
    takesBaseImageFlag: false,
    defaultPort: 10000,
    temporaryDataDir: true,
  },
  {
    name: "startMalachite()",
    resolve: (given, env, cwd) => startMalachiteConfig(given, env, cwd),
    takesBaseImageFlag: true,
    defaultPort: 0,
    temporaryDataDir: true,
  },
];

/** Each setting: how to give it by flag, environment and config file, and where it lands. */
const SETTINGS = [
  {
    name: "the data directory",
    flag: { dataDir: "from-flag" },
    env: { MALACHITE_DATA_DIR: "from-env" },
    file: { local: { dataDir: "from-file" } },
    read: (config: MalachiteConfig, cwd: string) => path.relative(cwd, config.local.dataDir),
    expected: { flag: "from-flag", env: "from-env", file: "from-file" },
  },
  {
    name: "the Azurite port",
    flag: { blobPort: 10301 },
    env: { MALACHITE_AZURITE_PORT: "10302" },
    file: { local: { azurite: { port: 10303 } } },
    read: (config: MalachiteConfig) => config.local.azurite.port,
    expected: { flag: 10301, env: 10302, file: 10303 },
  },
  {
    name: "the Azurite location",
    flag: { blobLocation: "blobs-flag" },
    env: { MALACHITE_AZURITE_LOCATION: "blobs-env" },
    file: { local: { azurite: { location: "blobs-file" } } },
    read: (config: MalachiteConfig, cwd: string) => config.local.azurite.location && path.relative(cwd, config.local.azurite.location),
    expected: { flag: "blobs-flag", env: "blobs-env", file: "blobs-file" },
  },
  {
    name: "the base image",
    flag: { baseImage: "flag/base:1" },
    env: { MALACHITE_BASE_IMAGE: "env/base:1" },
    file: { local: { baseImage: "file/base:1" } },
    read: (config: MalachiteConfig) => config.local.baseImage,
    expected: { flag: "flag/base:1", env: "env/base:1", file: "file/base:1" },
  },
];

/** A fresh working directory, with `./malachite.config.json` when `file` is given. */
function workingDirectory(file?: object): string {
  const cwd = mkdtempSync(path.join(os.tmpdir(), "malachite-precedence-"));
  if (file) writeFileSync(path.join(cwd, "malachite.config.json"), JSON.stringify(file));
  return cwd;
}

describe.each(ENTRY_POINTS)("$name reads every setting: flag, then environment, then config file, then its default", (entry) => {
  describe.each(SETTINGS)("$name", (setting) => {
    // The CLI has no --base-image; startMalachite() has the baseImage option.
    const flagGiven = setting.name !== "the base image" || entry.takesBaseImageFlag;

    it("comes from the config file when only the file sets it", () => {
      const cwd = workingDirectory(setting.file);
      expect(setting.read(entry.resolve({}, {}, cwd), cwd)).toBe(setting.expected.file);
    });

    it("comes from the environment over the config file", () => {
      const cwd = workingDirectory(setting.file);
      expect(setting.read(entry.resolve({}, setting.env, cwd), cwd)).toBe(setting.expected.env);
    });

    if (flagGiven) {
      it("comes from the flag over the environment and the config file", () => {
        const cwd = workingDirectory(setting.file);
        expect(setting.read(entry.resolve(setting.flag, setting.env, cwd), cwd)).toBe(setting.expected.flag);
      });
    }
  });

  it("falls back to its own defaults when nothing sets them", () => {
    const cwd = workingDirectory();
    const config = entry.resolve({}, {}, cwd);
    expect(config.backend).toBe("local");
    expect(config.local.azurite).toEqual({ port: entry.defaultPort, location: undefined });
    expect(config.local.baseImage).toBeUndefined();
    if (entry.temporaryDataDir) {
      expect(path.basename(config.local.dataDir)).toMatch(/^malachite-serve-/);
      expect(path.dirname(config.local.dataDir)).toBe(os.tmpdir());
      expect(existsSync(config.local.dataDir)).toBe(true);
      const another = entry.resolve({}, {}, cwd).local.dataDir;
      expect(another).not.toBe(config.local.dataDir);
      for (const dir of [config.local.dataDir, another]) rmSync(dir, { recursive: true });
    } else {
      expect(config.local.dataDir).toBe(path.join(cwd, ".malachite"));
    }
  });

  it("reads the config file named by --config over MALACHITE_CONFIG over ./malachite.config.json", () => {
    const cwd = workingDirectory({ local: { dataDir: "from-default-file" } });
    const named = path.join(cwd, "named.json");
    const fromVariable = path.join(cwd, "variable.json");
    writeFileSync(named, JSON.stringify({ local: { dataDir: "from-named-file" } }));
    writeFileSync(fromVariable, JSON.stringify({ local: { dataDir: "from-variable-file" } }));
    const dataDir = (given: Given, env: NodeJS.ProcessEnv) => path.relative(cwd, entry.resolve(given, env, cwd).local.dataDir);
    expect(dataDir({}, {})).toBe("from-default-file");
    expect(dataDir({}, { MALACHITE_CONFIG: fromVariable })).toBe("from-variable-file");
    expect(dataDir({ config: named }, { MALACHITE_CONFIG: fromVariable })).toBe("from-named-file");
  });

  it("treats an empty environment variable as unset", () => {
    const cwd = workingDirectory({ local: { dataDir: "from-file", azurite: { port: 10303 } } });
    const config = entry.resolve({}, { MALACHITE_DATA_DIR: "", MALACHITE_AZURITE_PORT: "" }, cwd);
    expect(path.relative(cwd, config.local.dataDir)).toBe("from-file");
    expect(config.local.azurite.port).toBe(10303);
  });

  it("names where a bad Azurite port came from", () => {
    const cwd = workingDirectory({ local: { azurite: { port: 70001 } } });
    expect(() => entry.resolve({}, {}, cwd)).toThrow(/invalid Azurite port '70001' \(local\.azurite\.port of the config file\)/);
    expect(() => entry.resolve({}, { MALACHITE_AZURITE_PORT: "x" }, cwd)).toThrow(/invalid Azurite port 'x' \(MALACHITE_AZURITE_PORT\)/);
    expect(() => entry.resolve({ blobPort: 65536 }, {}, cwd)).toThrow(/invalid Azurite port '65536' \(--blob-port\)/);
  });
});
