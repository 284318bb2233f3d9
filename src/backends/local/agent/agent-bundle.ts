/**
 * Where the node agent's bundle is on the host (it is bind-mounted read-only into each node
 * container). Built by `npm run build` (scripts/bundle-agent.mjs) into dist/agent; when Malachite
 * runs from its TypeScript sources (tests, tsx), it is bundled here with esbuild, once per process,
 * into a file named by its content so that concurrent processes agree on it.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(import.meta.url);

function packageRoot(): string {
  let dir = path.dirname(here);
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find Malachite's package.json");
    dir = parent;
  }
  return dir;
}

let fromSource: Promise<string> | undefined;

/** The agent bundle's host path. */
export function agentBundlePath(): Promise<string> {
  if (!here.endsWith(".ts")) {
    const bundle = path.join(packageRoot(), "dist", "agent", "node-agent.cjs");
    if (!existsSync(bundle)) return Promise.reject(new Error(`the node agent is not built: run 'npm run build' (missing ${bundle})`));
    return Promise.resolve(bundle);
  }
  return (fromSource ??= bundleFromSource());
}

async function bundleFromSource(): Promise<string> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [path.join(path.dirname(here), "agent-main.ts")],
    bundle: true,
    platform: "node",
    target: "node18",
    format: "cjs",
    write: false,
    logLevel: "warning",
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error("esbuild produced no node agent bundle");
  const dir = path.join(os.tmpdir(), "malachite-node-agent");
  const file = path.join(dir, `${createHash("sha256").update(code).digest("hex").slice(0, 16)}.cjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, file);
  }
  return file;
}
