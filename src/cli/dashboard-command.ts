import { parseArgs } from "node:util";
import { compose } from "../composition-root.js";
import { ConfigError, loadConfig, TUTORIAL_DEFAULTS } from "../core/config/index.js";
import { DashboardServer } from "../dashboard/dashboard-server.js";
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

/**
 * `malachite dashboard`: the live dashboard over the configured backend until Ctrl-C: a real
 * Azure Batch account with `--backend azure`, or the local backend's account in `--data-dir`
 * (the tutorial's `.malachite` by default). `malachite serve` shows the same dashboard at its root.
 */
export async function dashboardCommand(argv: string[]): Promise<number> {
  const args = parseDashboardArgs(argv);
  const config = loadConfig(args.flags, process.env, process.cwd(), TUTORIAL_DEFAULTS);
  const composition = await compose(config);
  try {
    const server = await DashboardServer.listen(composition.backend.batch, { host: args.host, port: args.port, actions: args.actions });
    process.stdout.write(`Malachite dashboard of the ${config.backend} backend: ${server.openUrl}\nPress Ctrl-C to stop.\n`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    process.stdout.write("stopping...\n");
    await server.close();
    return 0;
  } finally {
    await composition.dispose();
  }
}
