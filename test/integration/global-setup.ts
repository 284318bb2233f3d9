import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureNodeImage } from "../../src/backends/local/docker/node-image.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Once per run: the task program bundle and the node image, so test files do not race to build them. */
export default async function setup(): Promise<void> {
  execFileSync(process.execPath, [path.join(root, "scripts/bundle-task.mjs")], { cwd: root, stdio: "inherit" });
  await ensureNodeImage({ baseImage: process.env.MALACHITE_BASE_IMAGE || undefined });
}
