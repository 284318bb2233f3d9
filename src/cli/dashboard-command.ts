import { compose } from "../composition-root.js";
import { loadConfig, TUTORIAL_DEFAULTS } from "../core/config/index.js";
import { DashboardServer } from "../dashboard/dashboard-server.js";
import { parseDashboardArgs } from "./dashboard-args.js";

export { DASHBOARD_PORT, DASHBOARD_USAGE, parseDashboardArgs, type DashboardArgs } from "./dashboard-args.js";

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
