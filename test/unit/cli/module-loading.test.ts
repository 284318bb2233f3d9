import { spawn } from "node:child_process";
import { mkdtemp, readFile, readdir, realpath, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** A loader hook that writes the URL of every module the process resolves to the file it is given. */
const RECORDER = `import { appendFileSync } from "node:fs";
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + "\\n");
  return result;
}
`;
const REGISTER = `import { register } from "node:module";
register(new URL("./record-loads.mjs", import.meta.url), { data: { log: process.env.MODULE_LOG } });
`;

let work: string;

/** The sources as plain JavaScript, file for file (as tsc emits them), next to the project's node_modules. */
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "malachite-modules-"));
  const sources = (await readdir(path.join(ROOT, "src"), { recursive: true }))
    .filter((file) => file.endsWith(".ts"))
    .map((file) => path.join(ROOT, "src", file));
  await build({
    entryPoints: sources,
    outdir: path.join(work, "src"),
    outbase: path.join(ROOT, "src"),
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "silent",
  });
  await symlink(path.join(ROOT, "node_modules"), path.join(work, "node_modules"), "dir");
  await writeFile(path.join(work, "package.json"), '{ "type": "module" }\n');
  await writeFile(path.join(work, "record-loads.mjs"), RECORDER);
  await writeFile(path.join(work, "register.mjs"), REGISTER);
  await writeFile(path.join(work, "input.txt"), "a b c\n");
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Runs the CLI with `args` and returns the URLs of the modules it loaded, relative to the package. */
async function modulesLoadedBy(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const log = path.join(work, `loads-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(log, "");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", path.join(work, "register.mjs"), path.join(work, "src/cli/main.js"), ...args], {
      cwd: work,
      env: { ...process.env, ...env, MODULE_LOG: log },
      stdio: "ignore",
    });
    child.on("error", reject);
    child.on("exit", () => resolve());
  });
  // Dependencies resolve to their real path (node_modules may be a link to another checkout's).
  const dependencies = `file://${await realpath(path.join(ROOT, "node_modules"))}/`;
  const own = `file://${work}/`;
  const relative = (url: string) =>
    url.startsWith(dependencies) ? `node_modules/${url.slice(dependencies.length)}` : url.startsWith(own) ? url.slice(own.length) : undefined;
  const urls = (await readFile(log, "utf8")).split("\n");
  return [...new Set(urls.map(relative).filter((module) => module !== undefined))];
}

const packageOf = (modules: string[], name: string) => modules.some((module) => module.startsWith(`node_modules/${name}/`));

// Each case starts a Node process that loads what the command needs (the SDKs take seconds on a busy machine).
describe("the modules the CLI loads", { timeout: 60_000 }, () => {
  it("for --help: its own few, no dependency and no backend", async () => {
    const modules = await modulesLoadedBy(["--help"]);
    expect(modules).toContain("src/cli/main.js");
    expect(modules.filter((module) => module.startsWith("node_modules/"))).toEqual([]);
    expect(modules.filter((module) => module.startsWith("src/backends/") || module.startsWith("src/server/"))).toEqual([]);
  });

  it("for the local backend: Docker's client, never the Azure Batch SDK nor the Azure backend", async () => {
    // `sweep` composes the local backend and fails at its first Docker call, with no engine here.
    const modules = await modulesLoadedBy(["sweep"], { DOCKER_HOST: "unix:///nonexistent" });
    expect(modules).toContain("src/backends/local/local-backend-module.js");
    expect(packageOf(modules, "dockerode")).toBe(true);
    expect(packageOf(modules, "@azure/batch")).toBe(false);
    expect(modules.filter((module) => module.startsWith("src/backends/azure/"))).toEqual([]);
  });

  it("for the Azure backend: the Azure Batch SDK, never Docker's client nor the local backend", async () => {
    // No account is configured: the composition fails once the Azure backend's module has loaded.
    const modules = await modulesLoadedBy(["tutorial", "--backend", "azure", "--input", "input.txt"], {
      AZURE_BATCH_ACCOUNT: "",
      AZURE_BATCH_ENDPOINT: "",
      AZURE_BATCH_ACCESS_KEY: "",
    });
    expect(modules).toContain("src/backends/azure/azure-backend-module.js");
    expect(packageOf(modules, "@azure/batch")).toBe(true);
    expect(packageOf(modules, "dockerode")).toBe(false);
    expect(modules.filter((module) => module.startsWith("src/backends/local/") && !module.startsWith("src/backends/local/azurite/"))).toEqual([]);
  });
});
