import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The directory holding Malachite's package.json, from source or from dist. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find Malachite's package.json");
    dir = parent;
  }
  return dir;
}

/** The bundled task program (`npm run build` makes it). */
export function taskProgramPath(): string {
  const bundle = path.join(packageRoot(), "dist", "task", "tutorial_task.js");
  if (!existsSync(bundle)) throw new Error(`the task program is not built: run 'npm run build' (missing ${bundle})`);
  return bundle;
}

/** The project's own sample texts, the tutorial's default input. */
export function sampleInputs(): string[] {
  const dir = path.join(packageRoot(), "samples");
  return readdirSync(dir)
    .filter((name) => name.endsWith(".txt"))
    .sort()
    .map((name) => path.join(dir, name));
}
