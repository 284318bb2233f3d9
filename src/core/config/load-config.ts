import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { BackendKind } from "../backend.js";
import { ConfigError, SUPPORTED_BACKENDS, type AzureBackendConfig, type MalachiteConfig } from "./config.js";
import { TUTORIAL_DEFAULTS, type ConfigDefaults } from "./entry-point-defaults.js";

/** Settings given on the command line (or as `startMalachite()` options); each wins over the environment and the config file. */
export interface ConfigFlags {
  backend?: string;
  /** The config file to read instead of `MALACHITE_CONFIG` or `./malachite.config.json`. */
  config?: string;
  dataDir?: string;
  baseImage?: string;
  /** Azurite's blob port (`--blob-port`); 0 picks a free one. */
  blobPort?: number | string;
  /** Keep blobs on disk in this directory (`--blob-location`). */
  blobLocation?: string;
  /** Keep Batch state, and blobs unless a blob location is set, in memory only (`--in-memory`). */
  inMemory?: boolean;
}

interface ConfigFile {
  backend?: string;
  local?: {
    dataDir?: string;
    baseImage?: string;
    inMemory?: boolean | string | number;
    spotPreemptionRatePerHour?: number | string;
    spotPreemptionSeed?: number | string;
    azurite?: { port?: number | string; location?: string };
  };
  azure?: AzureBackendConfig;
}

/** Each Azure setting and the environment variable that sets it. */
export const AZURE_ENVIRONMENT: Record<keyof AzureBackendConfig, string> = {
  batchAccountName: "AZURE_BATCH_ACCOUNT",
  batchAccountKey: "AZURE_BATCH_ACCESS_KEY",
  batchEndpoint: "AZURE_BATCH_ENDPOINT",
  storageConnectionString: "AZURE_STORAGE_CONNECTION_STRING",
  storageAccountName: "AZURE_STORAGE_ACCOUNT",
  storageAccountKey: "AZURE_STORAGE_KEY",
  taskImage: "MALACHITE_AZURE_TASK_IMAGE",
  registryServer: "MALACHITE_AZURE_REGISTRY_SERVER",
  registryUsername: "MALACHITE_AZURE_REGISTRY_USERNAME",
  registryPassword: "MALACHITE_AZURE_REGISTRY_PASSWORD",
  vmSize: "MALACHITE_AZURE_VM_SIZE",
  vmImage: "MALACHITE_AZURE_VM_IMAGE",
  nodeAgentSkuId: "MALACHITE_AZURE_NODE_AGENT_SKU",
};

function azureConfig(file: AzureBackendConfig | undefined, env: NodeJS.ProcessEnv): AzureBackendConfig {
  const config: AzureBackendConfig = {};
  for (const [key, variable] of Object.entries(AZURE_ENVIRONMENT) as [keyof AzureBackendConfig, string][]) {
    const value = env[variable] || file?.[key];
    if (value) config[key] = value;
  }
  return config;
}

export const CONFIG_FILE_NAME = "malachite.config.json";

function readConfigFile(file: string | undefined, cwd: string): ConfigFile {
  const candidate = file ?? path.join(cwd, CONFIG_FILE_NAME);
  if (!existsSync(candidate)) {
    if (file) throw new ConfigError(`config file not found: ${file}`);
    return {};
  }
  try {
    return JSON.parse(readFileSync(candidate, "utf8")) as ConfigFile;
  } catch (error) {
    throw new ConfigError(`config file ${candidate} is not valid JSON: ${(error as Error).message}`);
  }
}

function parseBackend(value: string): BackendKind {
  if ((SUPPORTED_BACKENDS as readonly string[]).includes(value)) return value as BackendKind;
  throw new ConfigError(`unknown backend '${value}': choose one of ${SUPPORTED_BACKENDS.join(", ")}`);
}

/** The first value that is set, with where it came from (for error messages). */
function firstSet<T>(...candidates: Array<[T | undefined, string]>): [T, string] | undefined {
  return candidates.find(([value]) => value !== undefined && value !== "") as [T, string] | undefined;
}

function parsePort(value: number | string, source: string): number {
  const port = Number(value);
  if (value === "" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`invalid Azurite port '${value}' (${source}): a port number from 0 to 65535, 0 picks a free one`);
  }
  return port;
}

/** `true`/`1` or `false`/`0` (any case); anything else is refused, naming where it came from. */
function parseSwitch(value: boolean | string | number, source: string): boolean {
  if (typeof value === "boolean") return value;
  const text = String(value).trim().toLowerCase();
  if (text === "true" || text === "1") return true;
  if (text === "false" || text === "0") return false;
  throw new ConfigError(`invalid in-memory setting '${value}' (${source}): true or 1, false or 0`);
}

/** A number of at least 0 (a rate, a seed), or a ConfigError naming where it came from. */
function parseNonNegative(value: number | string, source: string, what: string): number {
  const number = Number(value);
  if (value === "" || !Number.isFinite(number) || number < 0) throw new ConfigError(`invalid ${what} '${value}' (${source}): a number of at least 0`);
  return number;
}

/** The directory under the data directory where Azurite keeps blobs when nothing else says where. */
export const BLOBS_SUBDIRECTORY = "blobs";

/**
 * Builds the configuration. Precedence: command-line flag (or `startMalachite()` option), then
 * environment variable (`MALACHITE_BACKEND`, `MALACHITE_DATA_DIR`, `MALACHITE_BASE_IMAGE`,
 * `MALACHITE_AZURITE_PORT`, `MALACHITE_AZURITE_LOCATION`, `MALACHITE_IN_MEMORY`, and the Azure
 * variables of `AZURE_ENVIRONMENT`; an empty variable counts as unset), then the config file
 * (`--config`, `MALACHITE_CONFIG`, or `./malachite.config.json`), then the entry point's `defaults`.
 *
 * When the data directory is given (by any of flag, environment or file), the account lives there:
 * Batch state in `<dataDir>/state` and, unless a blob location is given, Azurite's blobs in
 * `<dataDir>/blobs`, so that a restart on that directory brings everything back. Without one,
 * the entry point's default directory holds only node directories and the state is in memory.
 * `inMemory` (flag, environment, file) overrides either way.
 */
export function loadConfig(
  flags: ConfigFlags = {},
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  defaults: ConfigDefaults = TUTORIAL_DEFAULTS,
): MalachiteConfig {
  const set = (name: string) => env[name] || undefined;
  const file = readConfigFile(flags.config || set("MALACHITE_CONFIG"), cwd);
  const givenDataDir = flags.dataDir ?? set("MALACHITE_DATA_DIR") ?? file.local?.dataDir;
  const dataDir = path.resolve(cwd, givenDataDir ?? defaults.dataDir());
  const inMemorySetting = firstSet<boolean | string | number>(
    [flags.inMemory, "--in-memory"],
    [set("MALACHITE_IN_MEMORY"), "MALACHITE_IN_MEMORY"],
    [file.local?.inMemory, "local.inMemory of the config file"],
  );
  // Named data directory: the account (state and blobs) lives there. None: a throwaway default, in memory.
  const inMemory = inMemorySetting ? parseSwitch(...inMemorySetting) : givenDataDir === undefined;
  const givenLocation = flags.blobLocation || set("MALACHITE_AZURITE_LOCATION") || file.local?.azurite?.location;
  const location = givenLocation
    ? path.resolve(cwd, givenLocation)
    : givenDataDir !== undefined && !inMemory
      ? path.join(dataDir, BLOBS_SUBDIRECTORY)
      : undefined;
  const port = firstSet<number | string>(
    [flags.blobPort, "--blob-port"],
    [set("MALACHITE_AZURITE_PORT"), "MALACHITE_AZURITE_PORT"],
    [file.local?.azurite?.port, "local.azurite.port of the config file"],
  );
  const spotRate = firstSet<number | string>(
    [set("MALACHITE_SPOT_PREEMPTION_RATE"), "MALACHITE_SPOT_PREEMPTION_RATE"],
    [file.local?.spotPreemptionRatePerHour, "local.spotPreemptionRatePerHour of the config file"],
  );
  const spotSeed = firstSet<number | string>(
    [set("MALACHITE_SPOT_PREEMPTION_SEED"), "MALACHITE_SPOT_PREEMPTION_SEED"],
    [file.local?.spotPreemptionSeed, "local.spotPreemptionSeed of the config file"],
  );
  return {
    backend: parseBackend(flags.backend ?? set("MALACHITE_BACKEND") ?? file.backend ?? "local"),
    local: {
      dataDir,
      baseImage: flags.baseImage || set("MALACHITE_BASE_IMAGE") || file.local?.baseImage || undefined,
      inMemory,
      ...(spotRate ? { spotPreemptionRatePerHour: parseNonNegative(...spotRate, "Spot preemption rate") } : {}),
      ...(spotSeed ? { spotPreemptionSeed: parseNonNegative(...spotSeed, "Spot preemption seed") } : {}),
      azurite: {
        port: port ? parsePort(...port) : defaults.azuritePort,
        location,
      },
    },
    azure: azureConfig(file.azure, env),
  };
}
