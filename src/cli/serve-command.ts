import path from "node:path";
import type { MalachiteConfig } from "../core/config/index.js";
import { serveEmulator, type RunningMalachite } from "../serve-emulator.js";
import { serveConfig } from "./serve-config.js";

export { SERVE_USAGE } from "./serve-config.js";

/** Where the account is kept, and how to get it back after a restart. */
function storage(config: MalachiteConfig): string[] {
  const { dataDir, inMemory, azurite } = config.local;
  return [
    `Data directory: ${dataDir}`,
    inMemory
      ? "  Batch state: in memory (--in-memory): lost when serve stops"
      : `  Batch state: ${path.join(dataDir, "state")}; serve --data-dir ${dataDir} brings it back after a restart`,
    `  Blobs:       ${azurite.location ?? "in memory"}`,
  ];
}

/** What a client needs, printed as Azurite prints its own; the development account guards nothing. */
function banner(malachite: RunningMalachite, config: MalachiteConfig, authentication: boolean): string {
  return [
    `Malachite is serving the Azure Batch API at ${malachite.batchUrl}`,
    `  Batch account name: ${malachite.batchAccountName}`,
    `  Batch account key:  ${malachite.batchAccountKey}${authentication ? "" : "  (not checked: --no-auth)"}`,
    `  Batch account URL:  ${malachite.batchUrl}`,
    `Dashboard: ${malachite.dashboardUrl}`,
    `Azurite blob endpoint: ${malachite.blobEndpoint}`,
    `  Connection string: ${malachite.storageConnectionString}`,
    ...storage(config),
    "",
    "  export AZURE_BATCH_ACCOUNT=" + malachite.batchAccountName,
    "  export AZURE_BATCH_ACCESS_KEY=" + malachite.batchAccountKey,
    "  export AZURE_BATCH_ENDPOINT=" + malachite.batchUrl,
    "",
    "Press Ctrl-C to stop; every node container is removed on exit.",
    "",
  ].join("\n");
}

/** `malachite serve`: Azurite and a Batch endpoint until Ctrl-C. */
export async function serveCommand(argv: string[]): Promise<number> {
  const { config, endpoint } = serveConfig(argv);
  if (process.env.MALACHITE_IN_CONTAINER === "1") await (await import("./container-checks.js")).checkContainerSetup(path.resolve(config.local.dataDir));
  const malachite = await serveEmulator(config, endpoint);
  process.stdout.write(banner(malachite, config, endpoint.authentication));
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  process.stdout.write("stopping...\n");
  await malachite.close();
  return 0;
}
