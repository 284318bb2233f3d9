import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { BackendKind } from "../backend.js";
import { ConfigError, SUPPORTED_BACKENDS, type AzureBackendConfig, type MalachiteConfig } from "./config.js";

/** Settings given on the command line; each wins over the environment and the config file. */
export interface ConfigFlags {
  backend?: string;
  config?: string;
  dataDir?: string;
}

interface ConfigFile {
  backend?: string;
  local?: { dataDir?: string; baseImage?: string; azurite?: { port?: number; location?: string } };
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

function parsePort(value: string | number | undefined): number {
  if (value === undefined || value === "") return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`invalid Azurite port '${value}'`);
  return port;
}

/**
 * Builds the configuration. Precedence: command-line flag, then environment variable
 * (`MALACHITE_BACKEND`, `MALACHITE_DATA_DIR`, `MALACHITE_BASE_IMAGE`, `MALACHITE_AZURITE_PORT`,
 * `MALACHITE_AZURITE_LOCATION`, and the Azure variables of `AZURE_ENVIRONMENT`), then the config file (`--config`, `MALACHITE_CONFIG`, or
 * `./malachite.config.json`), then defaults.
 */
export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): MalachiteConfig {
  const file = readConfigFile(flags.config ?? env.MALACHITE_CONFIG, cwd);
  const dataDir = flags.dataDir ?? env.MALACHITE_DATA_DIR ?? file.local?.dataDir ?? ".malachite";
  const location = env.MALACHITE_AZURITE_LOCATION ?? file.local?.azurite?.location;
  return {
    backend: parseBackend(flags.backend ?? env.MALACHITE_BACKEND ?? file.backend ?? "local"),
    local: {
      dataDir: path.resolve(cwd, dataDir),
      baseImage: env.MALACHITE_BASE_IMAGE || file.local?.baseImage || undefined,
      azurite: {
        port: parsePort(env.MALACHITE_AZURITE_PORT ?? file.local?.azurite?.port),
        location: location ? path.resolve(cwd, location) : undefined,
      },
    },
    azure: azureConfig(file.azure, env),
  };
}
