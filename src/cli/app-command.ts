import { ApplicationStore } from "../backends/local/applications/application-store.js";
import { ConfigError, loadConfig } from "../core/config/index.js";
import { parseAppArgs } from "./app-args.js";

export { APP_USAGE } from "./app-args.js";

/** The data directory must be the one the serving Malachite uses: there is no temporary default here. */
const NO_DEFAULT_DATA_DIR = {
  dataDir: (): string => {
    throw new ConfigError("malachite app needs the data directory Malachite serves from: give --data-dir, MALACHITE_DATA_DIR or local.dataDir");
  },
  azuritePort: 0,
};

/**
 * `malachite app add NAME VERSION ZIPFILE`: adds an application package to the store of a data
 * directory (`<dataDir>/applications`), where `GET /applications` and pools' and tasks'
 * `applicationPackageReferences` find it, also while Malachite serves from that directory.
 * `malachite app list` shows what the store holds.
 */
export async function appCommand(argv: string[]): Promise<number> {
  const args = parseAppArgs(argv);
  const config = loadConfig({ backend: "local", config: args.config, dataDir: args.dataDir }, process.env, process.cwd(), NO_DEFAULT_DATA_DIR);
  const store = ApplicationStore.forDataDir(config.local.dataDir);
  if (args.action === "add") {
    const application = await store.add(args.applicationId, args.version, args.zipFile, { makeDefault: args.makeDefault, displayName: args.displayName });
    process.stdout.write(`added ${application.id} ${args.version}${args.makeDefault ? " (default)" : ""} to ${config.local.dataDir}\n`);
    return 0;
  }
  for (const application of await store.list()) process.stdout.write(`${application.id}\t${application.versions.join(", ")}\n`);
  return 0;
}
