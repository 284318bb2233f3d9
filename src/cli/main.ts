#!/usr/bin/env node
import { BatchError } from "../core/batch-error.js";
import { ConfigError } from "../core/config/index.js";
import { dashboardCommand, DASHBOARD_USAGE } from "./dashboard-command.js";
import { serveCommand, SERVE_USAGE } from "./serve-command.js";
import { sweepCommand, SWEEP_USAGE } from "./sweep-command.js";
import { TUTORIAL_USAGE } from "./parse-tutorial-args.js";
import { tutorialCommand } from "./tutorial-command.js";

const USAGE = `usage: malachite <command> [options]

commands:
  tutorial   run the Azure Batch top-N words tutorial (see: malachite tutorial --help)
  serve      serve the Azure Batch REST API (and Azurite) for official clients, with the live dashboard at its root
  dashboard  the live dashboard alone, over any configured backend (e.g. --backend azure)
  sweep      remove node containers left over by crashed runs

${TUTORIAL_USAGE}
${SERVE_USAGE}
${DASHBOARD_USAGE}
${SWEEP_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || rest.includes("--help")) {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (command === "tutorial") return tutorialCommand(rest);
  if (command === "serve") return serveCommand(rest);
  if (command === "dashboard") return dashboardCommand(rest);
  if (command === "sweep") return sweepCommand(rest);
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
