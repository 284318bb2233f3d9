import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { LocalBackend } from "../../src/backends/local/local-backend.js";

/** A local backend for one test file: its own Azurite on a free port and its own data directory. */
export function startLocalBackend(): Promise<LocalBackend> {
  return LocalBackend.start({
    dataDir: mkdtempSync(path.join(os.tmpdir(), "malachite-test-")),
    baseImage: process.env.MALACHITE_BASE_IMAGE || undefined,
    azurite: { port: 0 },
  });
}
