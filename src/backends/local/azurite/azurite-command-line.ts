/** The command line and environment the Azurite blob service child process is started with. */
import { createRequire } from "node:module";
import path from "node:path";
import { PARENT_WATCHDOG_URL } from "./azurite-child-lifetime.js";
import { ENVIRONMENT_NEEDING_UNUSED_MODULES, UNUSED_MODULES_PRELOAD_URL } from "./azurite-unused-modules.js";

export interface AzuriteCommandLineOptions {
  host: string;
  port: number;
  /** Persist blobs here (an absolute path); in memory when undefined. */
  dataDir: string | undefined;
  silent: boolean;
  debugLogPath: string | undefined;
}

let azuriteBlobMain: string | undefined;

/** The absolute path of azurite's `azurite-blob` entry point. */
export function resolveAzuriteBlobMain(): string {
  if (azuriteBlobMain) return azuriteBlobMain;
  const require = createRequire(import.meta.url);
  const packageJsonPath = require.resolve("azurite/package.json");
  const packageJson = require(packageJsonPath) as { bin?: Record<string, string> | string };
  const bin = typeof packageJson.bin === "object" ? packageJson.bin["azurite-blob"] : undefined;
  if (!bin) throw new Error(`The azurite package at ${path.dirname(packageJsonPath)} has no "azurite-blob" bin`);
  azuriteBlobMain = path.resolve(path.dirname(packageJsonPath), bin);
  return azuriteBlobMain;
}

/** Arguments for `node`: the parent watchdog and unused-modules preloads, azurite-blob and its options. */
export function azuriteNodeArguments(options: AzuriteCommandLineOptions): string[] {
  const args = [
    "--import",
    PARENT_WATCHDOG_URL,
    "--import",
    UNUSED_MODULES_PRELOAD_URL,
    resolveAzuriteBlobMain(),
    "--blobHost",
    options.host,
    "--blobPort",
    String(options.port),
    "--disableTelemetry",
    "--skipApiVersionCheck",
    "--loose",
  ];
  if (options.dataDir) {
    args.push("--location", options.dataDir);
  } else {
    args.push("--inMemoryPersistence");
  }
  if (options.silent) args.push("--silent");
  if (options.debugLogPath) args.push("--debug", path.resolve(options.debugLogPath));
  return args;
}

/** This process's environment, minus what would change the account Azurite serves. */
export function azuriteEnvironment(): NodeJS.ProcessEnv {
  // AZURITE_ACCOUNTS would replace the well-known account AzuriteProcess advertises.
  const env = { ...process.env };
  delete env.AZURITE_ACCOUNTS;
  for (const name of ENVIRONMENT_NEEDING_UNUSED_MODULES) delete env[name];
  return env;
}
