import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const BUNDLE_SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../scripts/bundle-dashboard.mjs");

let built: Promise<string> | undefined;

/** The dashboard's page bundled as `npm run build` bundles it, into a temporary directory (once per test process). */
export function builtDashboard(): Promise<string> {
  built ??= (async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "malachite-dashboard-"));
    await promisify(execFile)(process.execPath, [BUNDLE_SCRIPT, dir]);
    return dir;
  })();
  return built;
}
