import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { runOneTask, startServed } from "./served-malachite.js";

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const work = mkdtempSync(path.join(os.tmpdir(), "malachite-pack-"));
const app = path.join(work, "app");
/** An npm cache with nothing in it: with --offline, npm can only take what the tarball holds. */
const emptyCache = path.join(work, "empty-npm-cache");
const offline = { ...process.env, npm_config_offline: "true", npm_config_cache: emptyCache, npm_config_update_notifier: "false" };

/** `npm install TARBALL` in the empty folder, offline, with no stdin (as in CI). */
function npmInstall(tarball: string): Promise<void> {
  const child = spawn("npm", ["install", "--no-audit", "--no-fund", tarball], { cwd: app, env: offline, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`npm install exited ${code}:\n${stderr}`)))));
}

describe("Malachite as an npm package", () => {
  let tarball: string;
  let entries: string[];

  beforeAll(async () => {
    // The global setup has built dist/ (what `prepare` does); --ignore-scripts keeps `npm pack`
    // from rebuilding it under the feet of the test files running beside this one.
    const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], { cwd: root, maxBuffer: 64 << 20 });
    tarball = path.join(work, stdout.trim().split("\n").pop() as string);
    entries = (await run("tar", ["-tzf", tarball], { maxBuffer: 64 << 20 })).stdout.split("\n");
    mkdirSync(app);
    mkdirSync(emptyCache);
    await npmInstall(tarball);
  }, 900_000);

  it("packs the built CLI and library, the node image's Dockerfile and scripts, the task and node agent bundles and its dependencies, and no sources", () => {
    for (const file of [
      "dist/src/cli/main.js",
      "dist/src/index.js",
      "dist/src/index.d.ts",
      "dist/task/tutorial_task.js",
      "dist/task/package.json",
      "dist/agent/node-agent.cjs",
      "docker/Dockerfile",
      "docker/prepare-host.sh",
      "docker/build-base-image.sh",
      "samples/reef.txt",
      "node_modules/@azure/batch/package.json",
      "node_modules/azurite/package.json",
    ]) {
      expect(entries, file).toContain(`package/${file}`);
    }
    expect(entries.filter((entry) => /^package\/(src|test|task|bench|dist\/bench|examples)\//.test(entry))).toEqual([]);
  });

  it("installs offline into an empty folder from the tarball alone, with its `malachite` command", () => {
    const installed = JSON.parse(readFileSync(path.join(app, "node_modules/malachite/package.json"), "utf8")) as { version: string };
    expect(installed.version).toBe((JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version);
    expect(readdirSync(path.join(app, "node_modules/.bin"))).toContain("malachite");
  });

  it("`npx malachite serve` answers the JS SDK and runs a task on a Docker node", async () => {
    const served = await startServed("npx", ["malachite", "serve", "--port", "0", "--blob-port", "0", "--in-memory"], { cwd: app, env: offline });
    try {
      await runOneTask(served.client);
    } finally {
      // npx ends by the signal; serve, its child, exits after removing its node containers.
      await served.stop();
    }
    expect(served.output()).toContain("stopping...");
  });

  it("`npx malachite tutorial --yes` runs the tutorial on the package's own sample texts", async () => {
    const output = path.join(work, "tutorial-output");
    const { stdout, stderr } = await run(
      "npx",
      ["malachite", "tutorial", "--yes", "--poll-ms", "250", "--output", output, "--data-dir", path.join(work, "data")],
      {
        cwd: app,
        env: offline,
        maxBuffer: 16 << 20,
      },
    );
    expect(stderr).toBe("");
    expect(stdout).toMatch(/Monitoring all tasks for 'Completed' state, timeout in 0:20:00\.+\n {2}Success!/);
    expect(readdirSync(output).sort()).toEqual(["kiln_OUTPUT.txt", "ledger_OUTPUT.txt", "reef_OUTPUT.txt"]);
    expect(stdout).toContain("Delete job? [Y/n] y\nDelete pool? [Y/n] y\n");
  });
});
