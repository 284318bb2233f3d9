// Bundles the resident node agent (src/backends/local/agent/agent-main.ts) into one CommonJS file
// that the node container runs as its main process, on the node image's Node (18+), with no
// node_modules. Usage: node scripts/bundle-agent.mjs [outfile]   (default dist/agent/node-agent.cjs)
import { bundleForNodeContainer } from "./node-bundle.mjs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function bundleAgent(outfile = resolve(root, "dist/agent/node-agent.cjs")) {
  await bundleForNodeContainer(resolve(root, "src/backends/local/agent/agent-main.ts"), outfile);
  return outfile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundleAgent(process.argv[2] && resolve(process.argv[2]));
}
