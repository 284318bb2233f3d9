import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import Dockerode from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureNodeImage } from "../../../src/backends/local/docker/node-image.js";
import { DockerNodeRuntime } from "../../../src/backends/local/docker/docker-node-runtime.js";
import { waitUntil } from "../../contract/wait-until.js";
import { runOneTask, startServed, type Served } from "./served-malachite.js";

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const cli = path.join(root, "dist/src/cli/main.js");
const work = mkdtempSync(path.join(os.tmpdir(), "malachite-image-"));
const IMAGE = `malachite:test-${process.pid}`;
const CONTAINER = `malachite-serve-test-${process.pid}`;
const TASK_REPO = "registry.malachite.test/malachite-node";
const TASK_TAG = `image-${process.pid}`;

describe("Malachite's own container image", () => {
  const docker = new Dockerode();
  /** The data directory, mounted at the same path inside and out. */
  const dataDir = path.join(work, "data");
  let served: Served | undefined;
  let servePid: string;

  beforeAll(async () => {
    // The package as `npm pack` makes it (dist/ is built by the global setup, see npm-pack.test.ts).
    const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], { cwd: root, maxBuffer: 64 << 20 });
    const tarball = path.join(work, stdout.trim().split("\n").pop() as string);
    await run("bash", [path.join(root, "docker/build-malachite-image.sh"), IMAGE, tarball], { cwd: root, maxBuffer: 64 << 20 });
    served = await startServed("docker", [
      ...["run", "--rm", "--name", CONTAINER, "--network", "host", "--pid", "host"],
      ...["-v", "/var/run/docker.sock:/var/run/docker.sock", "-v", `${dataDir}:${dataDir}`],
      ...[IMAGE, "serve", "--data-dir", dataDir, "--port", "0", "--blob-port", "0"],
    ]);
    servePid = (await docker.getContainer(CONTAINER).inspect()).State.Pid.toString();
  }, 900_000);

  afterAll(async () => {
    if (served) expect(await served.stop()).toBe(0);
    await docker
      .getImage(IMAGE)
      .remove()
      .catch(() => undefined);
  });

  it("is built offline FROM the node image's base, with Node 20 and without the project's sources", async () => {
    const info = await docker.getImage(IMAGE).inspect();
    expect(info.Config.Env).toContain("MALACHITE_IN_CONTAINER=1");
    const listing = (await run("docker", ["run", "--rm", "--entrypoint", "/bin/sh", IMAGE, "-c", "node --version; ls /opt/malachite"])).stdout;
    expect(listing).toMatch(/^v2\d\./);
    expect(listing.split("\n").slice(1).filter(Boolean).sort()).toEqual(["README.md", "dist", "docker", "node_modules", "package.json", "samples"]);
  });

  it("serves the JS SDK and runs a task on a node container of the host's engine, the node directory on the host", async () => {
    const client = (served as Served).client;
    await runOneTask(client);
    expect(readdirSync(path.join(dataDir, "state"))).toContain("journal.jsonl");
    expect(existsSync(path.join(dataDir, "nodes"))).toBe(true);
    // The nodes carry serve's host pid (--pid host), so every sweep judges them rightly.
    await waitUntil(
      () => new DockerNodeRuntime().listManaged({ "malachite.owner-pid": servePid }),
      (containers) => containers.length === 0,
      { timeoutMs: 60_000, what: "the pool's node container to go" },
    );
  });

  it("runs the tutorial's tasks through serve: the CLI's Azure backend against the container", async () => {
    await docker.getImage(await ensureNodeImage()).tag({ repo: TASK_REPO, tag: TASK_TAG });
    const output = path.join(work, "tutorial-output");
    const field = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec((served as Served).output())?.[1] as string;
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AZURE_") && !name.startsWith("MALACHITE_AZURE_")));
    try {
      const { stdout, stderr } = await run(process.execPath, [cli, "tutorial", "--backend", "azure", "--yes", "--output", output, "--poll-ms", "250"], {
        cwd: work,
        env: {
          ...env,
          AZURE_BATCH_ACCOUNT: field("Batch account name"),
          AZURE_BATCH_ACCESS_KEY: field("Batch account key"),
          AZURE_BATCH_ENDPOINT: field("Batch account URL"),
          AZURE_STORAGE_CONNECTION_STRING: field("Connection string"),
          MALACHITE_AZURE_TASK_IMAGE: `${TASK_REPO}:${TASK_TAG}`,
        },
      });
      expect(stderr).toBe("");
      expect(stdout).toContain("  Success! All tasks reached the 'Completed' state within the specified timeout period.\n");
      expect(readdirSync(output).sort()).toEqual(["kiln_OUTPUT.txt", "ledger_OUTPUT.txt", "reef_OUTPUT.txt"]);
    } finally {
      await docker
        .getImage(`${TASK_REPO}:${TASK_TAG}`)
        .remove()
        .catch(() => undefined);
    }
  });

  it("refuses, naming the fix, a data directory mounted at another path", async () => {
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), "malachite-image-moved-"));
    const result = await run("docker", [
      ...["run", "--rm", "--network", "host", "--pid", "host", "-v", "/var/run/docker.sock:/var/run/docker.sock", "-v", `${elsewhere}:/data`],
      ...[IMAGE, "serve", "--data-dir", "/data", "--port", "0", "--blob-port", "0"],
    ]).catch((error: { code: number; stderr: string }) => error);
    expect("code" in result && result.code).toBe(2);
    expect(result.stderr).toContain(`mount it at the same path, -v ${elsewhere}:${elsewhere} --data-dir ${elsewhere}`);
  });
});
