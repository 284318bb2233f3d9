// Bundles the dashboard's page (web/main.tsx with Preact, and web/app.css) into dist/web: two
// files the server serves as they are, with nothing fetched from elsewhere, so the page works offline.
// Usage: node scripts/bundle-dashboard.mjs [outdir]   (default dist/web)
import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function bundleDashboard(outdir = resolve(root, "dist/web")) {
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: [resolve(root, "web/main.tsx")],
    outfile: resolve(outdir, "app.js"),
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: true,
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
  });
  await copyFile(resolve(root, "web/app.css"), resolve(outdir, "app.css"));
  return outdir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundleDashboard(process.argv[2] && resolve(process.argv[2]));
}
