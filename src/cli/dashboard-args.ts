import { parseArgs } from "node:util";
import { ConfigError } from "../core/config/index.js";
import { CONFIG_FLAG_OPTIONS, configFlags } from "./config-flags.js";

export const DASHBOARD_USAGE = `usage: malachite dashboard [--host 127.0.0.1] [--port 10200] [--actions] [--backend local|azure] [--config FILE]
                           [--data-dir DIR] [--blob-port N] [--blob-location DIR] [--in-memory]`;

/** The dashboard's own port when it runs alone, next to serve's 10100. */
export const DASHBOARD_PORT = 10200;

export interface DashboardArgs {
  flags: ReturnType<typeof configFlags>;
  host: string;
  port: number;
  /** Terminate tasks and jobs and resize pools from the page. */
  actions: boolean;
}

export function parseDashboardArgs(argv: string[]): DashboardArgs {
  const { values } = parseArgs({
    args: argv,
    options: { host: { type: "string" }, port: { type: "string" }, actions: { type: "boolean" }, ...CONFIG_FLAG_OPTIONS },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port === undefined ? DASHBOARD_PORT : Number(values.port);
  if (values.port === "" || !Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be a port number, not '${values.port}'`);
  return { flags: configFlags(values), host: values.host ?? "127.0.0.1", port, actions: values.actions ?? false };
}
