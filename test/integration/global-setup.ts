import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DockerNodeRuntime } from "../../src/backends/local/docker/docker-node-runtime.js";
import { ensureNodeImage } from "../../src/backends/local/docker/node-image.js";
import { isLeftoverContainer } from "../../src/backends/local/docker/leftover-sweeper.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Once per run: build the CLI, the task program and the node agent, and the node image, so test files do not
 * race to build them. At the end, fail the run if any test left a node container behind.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" });
  execFileSync(process.execPath, [path.join(root, "scripts/bundle-task.mjs")], { cwd: root, stdio: "inherit" });
  execFileSync(process.execPath, [path.join(root, "scripts/bundle-agent.mjs")], { cwd: root, stdio: "inherit" });
  await ensureNodeImage({ baseImage: process.env.MALACHITE_BASE_IMAGE || undefined });
  const runtime = new DockerNodeRuntime();
  const before = new Set((await runtime.listManaged({ "malachite.managed": "true" })).map((c) => c.id));
  return async () => {
    // Workers have exited by now: a container of this run whose owner is gone was left behind.
    // Containers of processes still alive, or of a data directory a live process owns (another
    // run on the same engine adopted them), are not ours to judge. No grace for a crashed owner:
    // a test that kills Malachite cleans up after itself.
    const leaked = (await runtime.listManaged({ "malachite.managed": "true" })).filter(
      (c) => !before.has(c.id) && isLeftoverContainer(c, { orphanGraceMs: 0 }),
    );
    for (const container of leaked) await runtime.removeNode(container.id);
    if (leaked.length > 0) throw new Error(`tests left ${leaked.length} node container(s) behind: ${leaked.map((c) => c.name).join(", ")}`);
  };
}
