#!/usr/bin/env node
import { BatchError } from "../core/batch-error.js";
import { ConfigError } from "../core/config/index.js";
import { APP_USAGE } from "./app-args.js";
import { DASHBOARD_USAGE } from "./dashboard-args.js";
import { TUTORIAL_USAGE } from "./parse-tutorial-args.js";
import { SERVE_USAGE } from "./serve-config.js";
import { SWEEP_USAGE } from "./sweep-args.js";

const USAGE = `usage: malachite <command> [options]

commands:
  tutorial   run the Azure Batch top-N words tutorial (see: malachite tutorial --help)
  serve      serve the Azure Batch REST API (and Azurite) for official clients, with the live dashboard at its root
  dashboard  the live dashboard alone, over any configured backend (e.g. --backend azure)
  sweep      remove node containers left over by crashed runs
  app        add application packages to a data directory (see: malachite app --help)

${TUTORIAL_USAGE}
${SERVE_USAGE}
${DASHBOARD_USAGE}
${SWEEP_USAGE}
${APP_USAGE}`;

type Command = (argv: string[]) => Promise<number>;

/**
 * Each command's module, loaded only when that command runs: `--help` and one command's start
 * do not pay for the others' dependencies (the dashboard's server, the backends' SDKs).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  tutorial: async () => (await import("./tutorial-command.js")).tutorialCommand,
  serve: async () => (await import("./serve-command.js")).serveCommand,
  dashboard: async () => (await import("./dashboard-command.js")).dashboardCommand,
  sweep: async () => (await import("./sweep-command.js")).sweepCommand,
  app: async () => (await import("./app-command.js")).appCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || rest.includes("--help")) {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (load) return (await load())(rest);
  process.stderr.write(`malachite: unknown command '${command}'\n${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof BatchError) process.stderr.write(`malachite: ${error.code}: ${error.message}\n`);
    else if (error instanceof ConfigError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`malachite: ${(error as Error).message}\n`);
      process.exit(2);
    } else process.stderr.write(`malachite: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
