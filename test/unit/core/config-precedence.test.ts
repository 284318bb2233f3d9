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
  inMemory?: boolean;
}

function commandLine(given: Given): string[] {
  const args: string[] = [];
  if (given.config) args.push("--config", given.config);
  if (given.dataDir) args.push("--data-dir", given.dataDir);
  if (given.blobPort !== undefined) args.push("--blob-port", String(given.blobPort));
  if (given.blobLocation) args.push("--blob-location", given.blobLocation);
  if (given.inMemory) args.push("--in-memory");
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
    name: "the in-memory switch",
    flag: { inMemory: true },
    env: { MALACHITE_IN_MEMORY: "false" },
    file: { local: { inMemory: true } },
    read: (config: MalachiteConfig) => config.local.inMemory,
    expected: { flag: true, env: false, file: true },
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
    // No data directory named: a throwaway default, so the state lives in memory.
    expect(config.local.inMemory).toBe(true);
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

  it("keeps blobs under a given data directory, so one directory is the whole account", () => {
    const cwd = workingDirectory({ local: { dataDir: "from-file" } });
    const blobs = (given: Given, env: NodeJS.ProcessEnv = {}) => {
      const location = entry.resolve(given, env, cwd).local.azurite.location;
      return location && path.relative(cwd, location);
    };
    expect(blobs({})).toBe(path.join("from-file", "blobs"));
    expect(blobs({}, { MALACHITE_DATA_DIR: "from-env" })).toBe(path.join("from-env", "blobs"));
    expect(blobs({ dataDir: "from-flag" }, { MALACHITE_DATA_DIR: "from-env" })).toBe(path.join("from-flag", "blobs"));
    // An explicit blob location wins, from wherever it comes.
    expect(blobs({ dataDir: "from-flag", blobLocation: "elsewhere" })).toBe("elsewhere");
    expect(blobs({}, { MALACHITE_AZURITE_LOCATION: "elsewhere" })).toBe("elsewhere");
  });

  it("keeps blobs in memory when the data directory is its default or the state is in memory", () => {
    const unset = entry.resolve({}, {}, workingDirectory());
    expect(unset.local.azurite.location).toBeUndefined();
    if (entry.temporaryDataDir) rmSync(unset.local.dataDir, { recursive: true });

    const cwd = workingDirectory({ local: { dataDir: "from-file" } });
    const inMemory = (given: Given, env: NodeJS.ProcessEnv = {}) => entry.resolve(given, env, cwd).local;
    expect(inMemory({ dataDir: "nodes", inMemory: true })).toMatchObject({ inMemory: true, azurite: { location: undefined } });
    expect(inMemory({}, { MALACHITE_IN_MEMORY: "1" })).toMatchObject({ inMemory: true, azurite: { location: undefined } });
    expect(inMemory({}, { MALACHITE_IN_MEMORY: "TRUE" }).inMemory).toBe(true);
    expect(inMemory({}, { MALACHITE_IN_MEMORY: "0" })).toMatchObject({ inMemory: false, azurite: { location: path.join(cwd, "from-file", "blobs") } });
    // In memory with an explicit blob location: the state in memory, the blobs where they were asked for.
    expect(inMemory({ inMemory: true, blobLocation: "blobs-here" })).toMatchObject({ inMemory: true, azurite: { location: path.join(cwd, "blobs-here") } });
    const fromFile = workingDirectory({ local: { dataDir: "nodes", inMemory: true } });
    expect(entry.resolve({}, {}, fromFile).local).toMatchObject({ inMemory: true, azurite: { location: undefined } });
  });

  it("names where a bad in-memory setting came from", () => {
    const cwd = workingDirectory({ local: { inMemory: "yes" } });
    expect(() => entry.resolve({}, {}, cwd)).toThrow(/invalid in-memory setting 'yes' \(local\.inMemory of the config file\)/);
    expect(() => entry.resolve({}, { MALACHITE_IN_MEMORY: "on" }, cwd)).toThrow(/invalid in-memory setting 'on' \(MALACHITE_IN_MEMORY\)/);
    expect(entry.resolve({}, { MALACHITE_IN_MEMORY: "" }, workingDirectory({ local: { dataDir: "d", inMemory: 1 } })).local.inMemory).toBe(true);
  });

  it("names where a bad Azurite port came from", () => {
    const cwd = workingDirectory({ local: { azurite: { port: 70001 } } });
    expect(() => entry.resolve({}, {}, cwd)).toThrow(/invalid Azurite port '70001' \(local\.azurite\.port of the config file\)/);
    expect(() => entry.resolve({}, { MALACHITE_AZURITE_PORT: "x" }, cwd)).toThrow(/invalid Azurite port 'x' \(MALACHITE_AZURITE_PORT\)/);
    expect(() => entry.resolve({ blobPort: 65536 }, {}, cwd)).toThrow(/invalid Azurite port '65536' \(--blob-port\)/);
  });
});

describe("startMalachite({ inMemory })", () => {
  it("can switch the in-memory setting of the environment or the config file off, as a flag cannot", () => {
    const cwd = workingDirectory({ local: { dataDir: "from-file", inMemory: true } });
    const config = startMalachiteConfig({ inMemory: false }, { MALACHITE_IN_MEMORY: "true" }, cwd);
    expect(config.local).toMatchObject({ inMemory: false, azurite: { location: path.join(cwd, "from-file", "blobs") } });
  });

  it("keeps the state in memory by default, and on disk with its blobs when a data directory is named", () => {
    const config = startMalachiteConfig({}, {}, workingDirectory());
    expect(config.local.inMemory).toBe(true);
    rmSync(config.local.dataDir, { recursive: true });
    const cwd = workingDirectory();
    const named = startMalachiteConfig({ dataDir: "account" }, {}, cwd);
    expect(named.local).toMatchObject({ inMemory: false, azurite: { location: path.join(cwd, "account", "blobs") } });
  });
});
