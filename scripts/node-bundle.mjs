// One esbuild set-up for the programs Malachite runs inside node containers (the task program,
// the node agent): a single CommonJS file for the node image's Node (18+), no node_modules beside it.
import { build } from "esbuild";

/** Bundles `entryPoint` into `outfile`; resolves with `outfile`. */
export async function bundleForNodeContainer(entryPoint, outfile) {
  await build({ entryPoints: [entryPoint], outfile, bundle: true, platform: "node", target: "node18", format: "cjs", logLevel: "warning" });
  return outfile;
}
