import { parseArgs } from "node:util";
import { ConfigError } from "../core/config/index.js";
import { startMalachite } from "../start-malachite.js";

export const SERVE_USAGE = `usage: malachite serve [--host 127.0.0.1] [--port 10100] [--blob-port 10000] [--no-auth]
                       [--data-dir DIR] [--blob-location DIR]`;

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535) throw new ConfigError(`--${name} must be a port number, not '${value}'`);
  return number;
}

/** `malachite serve`: Azurite and a Batch endpoint until Ctrl-C. */
export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      "blob-port": { type: "string" },
      "no-auth": { type: "boolean" },
      "data-dir": { type: "string" },
      "blob-location": { type: "string" },
    },
    strict: true,
  });
  const malachite = await startMalachite({
    host: values.host,
    batchPort: port("port", values.port, 10100),
    blobPort: port("blob-port", values["blob-port"], 10000),
    authentication: !values["no-auth"],
    dataDir: values["data-dir"],
    baseImage: process.env.MALACHITE_BASE_IMAGE || undefined,
    blobLocation: values["blob-location"],
  });
  // The well-known development account, printed as Azurite prints its own: it guards nothing.
  process.stdout.write(
    [
      `Malachite is serving the Azure Batch API at ${malachite.batchUrl}`,
      `  Batch account name: ${malachite.batchAccountName}`,
      `  Batch account key:  ${malachite.batchAccountKey}${values["no-auth"] ? "  (not checked: --no-auth)" : ""}`,
      `  Batch account URL:  ${malachite.batchUrl}`,
      `Azurite blob endpoint: ${malachite.blobEndpoint}`,
      `  Connection string: ${malachite.storageConnectionString}`,
      "",
      "  export AZURE_BATCH_ACCOUNT=" + malachite.batchAccountName,
      "  export AZURE_BATCH_ACCESS_KEY=" + malachite.batchAccountKey,
      "  export AZURE_BATCH_ENDPOINT=" + malachite.batchUrl,
      "",
      "Press Ctrl-C to stop; every node container is removed on exit.",
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  process.stdout.write("stopping...\n");
  await malachite.close();
  return 0;
}
