import { parseArgs } from "node:util";
import { ConfigError } from "../core/config/index.js";

export const APP_USAGE = `usage: malachite app add NAME VERSION ZIPFILE [--default] [--display-name TEXT] [--data-dir DIR] [--config FILE]
       malachite app list [--data-dir DIR] [--config FILE]`;

export type AppCommandArgs =
  | { action: "add"; applicationId: string; version: string; zipFile: string; makeDefault: boolean; displayName?: string; dataDir?: string; config?: string }
  | { action: "list"; dataDir?: string; config?: string };

/** `malachite app add|list`: the application packages of a data directory. */
export function parseAppArgs(argv: string[]): AppCommandArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      default: { type: "boolean", default: false },
      "display-name": { type: "string" },
      "data-dir": { type: "string" },
      config: { type: "string" },
    },
    strict: true,
    allowPositionals: true,
  });
  const [action, ...rest] = positionals;
  const where = { dataDir: values["data-dir"], config: values.config };
  if (action === "list" && rest.length === 0) return { action, ...where };
  if (action === "add" && rest.length === 3) {
    const [applicationId, version, zipFile] = rest as [string, string, string];
    return { action, applicationId, version, zipFile, makeDefault: values.default, displayName: values["display-name"], ...where };
  }
  throw new ConfigError(`expected 'app add NAME VERSION ZIPFILE' or 'app list'\n${APP_USAGE}`);
}
