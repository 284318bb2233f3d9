/**
 * Restart tests' set-up: a fresh data directory for each test, the "processes" a test starts on
 * it with `start(clock)`, all closed (the last first) and the directory removed after the test.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import type { LocalBackend } from "../../src/backends/local/local-backend.js";
import type { FakeClock } from "./fake-clock.js";
import { startOn } from "./start-on-data-dir.js";

export interface Restarts {
  /** Starts Malachite on the test's data directory with its own fake runtime on `clock`. */
  start: (clock: FakeClock) => Promise<LocalBackend>;
  readonly dataDir: string;
}

export function restartsOnOneDataDir(prefix: string): Restarts {
  const open: LocalBackend[] = [];
  let dataDir = "";
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), prefix));
  });
  afterEach(async () => {
    for (const backend of open.splice(0).reverse()) await backend.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    start: async (clock) => {
      const { backend } = await startOn(dataDir, clock);
      open.push(backend);
      return backend;
    },
    get dataDir() {
      return dataDir;
    },
  };
}
