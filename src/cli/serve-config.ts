import { parseArgs } from "node:util";
import { ConfigError, loadConfig, SERVE_DEFAULTS, type MalachiteConfig } from "../core/config/index.js";
import type { BatchEndpointOptions } from "../serve-emulator.js";
import { CONFIG_FLAG_OPTIONS, configFlags } from "./config-flags.js";

export const SERVE_USAGE = `usage: malachite serve [--host 127.0.0.1] [--port 10100] [--no-auth] [--dashboard-actions] [--config FILE]
                       [--blob-port 10000] [--data-dir DIR] [--blob-location DIR] [--in-memory]`;

/** The Batch endpoint's well-known port, next to Azurite's 10000. */
export const SERVE_BATCH_PORT = 10100;

export interface ServeConfig {
  config: MalachiteConfig;
  endpoint: BatchEndpointOptions;
}

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (value === "" || !Number.isInteger(number) || number < 0 || number > 65535) throw new ConfigError(`--${name} must be a port number, not '${value}'`);
  return number;
}

/**
 * `malachite serve`'s arguments resolved: the configuration through `loadConfig` with serve's
 * defaults (Azurite on 10000, a fresh temporary data directory), and the Batch endpoint's flags.
 * `serve --data-dir DIR` keeps the Batch state in `DIR/state` and, unless `--blob-location` says
 * otherwise, blobs in `DIR/blobs`; without it, or with `--in-memory`, both live in memory.
 * Serve always runs the local backend: a backend set by the environment or the config file is
 * for `tutorial`; `--backend` other than `local` is refused.
 */
export function serveConfig(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServeConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      "no-auth": { type: "boolean" },
      "dashboard-actions": { type: "boolean" },
      ...CONFIG_FLAG_OPTIONS,
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.backend !== undefined && values.backend !== "local") {
    throw new ConfigError(`malachite serve emulates Azure Batch with the local backend; it cannot serve --backend ${values.backend}`);
  }
  const flags = { ...configFlags(values), backend: "local" };
  const endpoint = {
    host: values.host ?? "127.0.0.1",
    port: port("port", values.port, SERVE_BATCH_PORT),
    authentication: !values["no-auth"],
    dashboardActions: values["dashboard-actions"] ?? false,
  };
  return { config: loadConfig(flags, env, cwd, SERVE_DEFAULTS), endpoint };
}
