import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * What an entry point falls back to when no flag, environment variable or config file sets a
 * setting. Everything else defaults alike everywhere (see `loadConfig`).
 */
export interface ConfigDefaults {
  /** Node directories, resolved against the working directory; a function, so a temporary directory is only made when used. */
  dataDir(): string;
  /** Azurite's blob port; 0 picks a free one. */
  azuritePort: number;
}

function freshTemporaryDirectory(): string {
  return mkdtempSync(path.join(os.tmpdir(), "malachite-serve-"));
}

/** `malachite tutorial` (and `sweep`): node directories kept in `./.malachite` for inspection, Azurite on a free port. */
export const TUTORIAL_DEFAULTS: ConfigDefaults = { dataDir: () => ".malachite", azuritePort: 0 };

/** `malachite serve`: Azurite on its well-known port 10000, node directories in a fresh temporary directory. */
export const SERVE_DEFAULTS: ConfigDefaults = { dataDir: freshTemporaryDirectory, azuritePort: 10000 };

/** `startMalachite()`: free ports and a fresh temporary directory, so test suites can run side by side. */
export const LIBRARY_DEFAULTS: ConfigDefaults = { dataDir: freshTemporaryDirectory, azuritePort: 0 };
