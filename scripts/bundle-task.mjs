// Bundles the task program into one CommonJS file that runs as `node tutorial_task.js ...`
// from any directory, on Node 18+, with no node_modules next to it.
// Usage: node scripts/bundle-task.mjs [outfile]   (default dist/task/tutorial_task.js)
import { bundleForNodeContainer } from "./node-bundle.mjs";
import { writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function bundleTask(outfile = resolve(root, "dist/task/tutorial_task.js")) {
  await bundleForNodeContainer(resolve(root, "task/main.ts"), outfile);
  // Inside this package ("type": "module") a .js file would load as ESM; mark the folder CommonJS.
  await writeFile(resolve(dirname(outfile), "package.json"), '{ "type": "commonjs" }\n');
  return outfile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundleTask(process.argv[2] && resolve(process.argv[2]));
}
