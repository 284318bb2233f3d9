/**
 * DockerNodeRuntime, the node image and the leftover sweeper against the real Docker engine.
 * Every container carries this file's own session label and is removed at the end.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DockerNodeRuntime } from "../../../src/backends/local/docker/docker-node-runtime.js";
import { LABEL, MAX_CONTAINER_NAME_LENGTH, nodeContainerName, nodeLabels } from "../../../src/backends/local/docker/labels.js";
import { ORPHAN_GRACE_MS, removeSession, sweepLeftovers } from "../../../src/backends/local/docker/leftover-sweeper.js";
import { defaultDockerfilePath, ensureNodeImage, NODE_IMAGE_REPOSITORY } from "../../../src/backends/local/docker/node-image.js";
import type { ExecSpec } from "../../../src/backends/local/docker/node-runtime.js";
import { ownerPidFile } from "../../../src/backends/local/state/data-dir-owner.js";

const NODE_ROOT = "/mnt/batch/tasks";
const sessionId = `t${process.pid}-${randomBytes(3).toString("hex")}`;
const runtime = new DockerNodeRuntime();

let image: string;
let firstEnsureMs: number;
let hostRoot: string;
let nodeCounter = 0;
let shared: { containerId: string; hostDir: string };

function makeHostDir(): string {
  const dir = path.join(hostRoot, `node-${++nodeCounter}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o777); // the unprivileged task user (1001) writes here too
  return dir;
}

async function startNode(extra: { sessionId?: string; ownerPid?: number; hostname?: string; dataDir?: string } = {}) {
  const hostDir = makeHostDir();
  const nodeId = `node-${nodeCounter}`;
  const labels = nodeLabels({ sessionId: extra.sessionId ?? sessionId, poolId: "pool", nodeId, ...(extra.dataDir ? { dataDir: extra.dataDir } : {}) });
  if (extra.ownerPid !== undefined) labels[LABEL.ownerPid] = String(extra.ownerPid);
  const name = nodeContainerName(extra.sessionId ?? sessionId, "pool", nodeId);
  const started = await runtime.startNode({
    name,
    image,
    labels,
    hostNodeRootDir: hostDir,
    nodeRootDir: NODE_ROOT,
    hostname: extra.hostname,
  });
  return { ...started, name, hostDir };
}

/** An ExecSpec writing its outputs to fresh files in the node's host directory. */
function spec(hostDir: string, argv: string[], overrides: Partial<ExecSpec> = {}): ExecSpec {
  const id = randomBytes(4).toString("hex");
  return {
    argv,
    env: {},
    workingDir: NODE_ROOT,
    user: "root",
    stdoutPath: path.join(hostDir, `${id}.stdout`),
    stderrPath: path.join(hostDir, `${id}.stderr`),
    pidFile: `${NODE_ROOT}/${id}.pid`,
    ...overrides,
  };
}

const read = (file: string) => fs.readFileSync(file, "utf8");

async function run(argv: string[], overrides: Partial<ExecSpec> = {}) {
  const s = spec(shared.hostDir, argv, overrides);
  const result = await runtime.exec(shared.containerId, s);
  return { ...result, stdout: read(s.stdoutPath), stderr: read(s.stderrPath) };
}

/** Command lines of all processes in the container, read from /proc (minbase has no procps). */
async function processList(containerId: string, hostDir: string): Promise<string[]> {
  const s = spec(hostDir, ["/bin/sh", "-c", 'for f in /proc/[0-9]*/cmdline; do tr "\\0" " " < "$f"; echo; done 2>/dev/null']);
  await runtime.exec(containerId, s);
  return read(s.stdoutPath).split("\n").filter(Boolean);
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

beforeAll(async () => {
  hostRoot = fs.mkdtempSync(path.join(os.tmpdir(), "malachite-runtime-test-"));
  const started = Date.now();
  image = await ensureNodeImage({ baseImage: process.env.MALACHITE_BASE_IMAGE || undefined });
  firstEnsureMs = Date.now() - started;
  console.log(`ensureNodeImage (first call in this process): ${firstEnsureMs} ms -> ${image}`);
  const node = await startNode({ hostname: "shared-node" });
  shared = { containerId: node.containerId, hostDir: node.hostDir };
});

afterAll(async () => {
  await removeSession(runtime, sessionId);
  const left = await runtime.listManaged({ [LABEL.session]: sessionId });
  fs.rmSync(hostRoot, { recursive: true, force: true });
  expect(left).toEqual([]);
});

describe("labels", () => {
  test("node labels identify the owner process and host", () => {
    const labels = nodeLabels({ sessionId: "s", poolId: "p", nodeId: "n" });
    expect(labels).toEqual({
      "malachite.managed": "true",
      "malachite.session": "s",
      "malachite.owner-pid": String(process.pid),
      "malachite.owner-host": os.hostname(),
      "malachite.pool": "p",
      "malachite.node": "n",
    });
  });

  test("container names are deterministic, lower-case, valid and bounded", () => {
    expect(nodeContainerName("S1", "Pool_A", "tvm-1")).toBe("malachite-s1-pool_a-tvm-1");
    expect(nodeContainerName("S1", "Pool_A", "tvm-1")).toBe(nodeContainerName("S1", "Pool_A", "tvm-1"));
    const long = "x".repeat(64);
    const a = nodeContainerName(long, long, `${long.slice(1)}a`);
    const b = nodeContainerName(long, long, `${long.slice(1)}b`);
    for (const name of [a, b, nodeContainerName("weird id!", "p", "n")]) {
      expect(name).toMatch(/^[a-z0-9][a-z0-9_.-]*$/);
      expect(name.length).toBeLessThanOrEqual(MAX_CONTAINER_NAME_LENGTH);
    }
    expect(a).not.toBe(b);
  });
});

describe("node image", () => {
  test("a second call is fast and returns the same tag", async () => {
    const started = Date.now();
    const again = await ensureNodeImage({ baseImage: process.env.MALACHITE_BASE_IMAGE || undefined });
    const ms = Date.now() - started;
    console.log(`ensureNodeImage (second call): ${ms} ms`);
    expect(again).toBe(image);
    expect(image).toMatch(/^malachite-node:[0-9a-f]{12}$/);
    expect(ms).toBeLessThan(1000);
  });

  test("concurrent builds of a changed Dockerfile agree on one tag and leave no temporary tags", async () => {
    // Two copies of the same changed Dockerfile look like two processes building at once.
    const dir = fs.mkdtempSync(path.join(hostRoot, "dockerfile-"));
    const content = `${read(defaultDockerfilePath())}\n# variant ${sessionId}\n`;
    const paths = ["a", "b"].map((name) => {
      const file = path.join(dir, name, "Dockerfile");
      fs.mkdirSync(path.dirname(file));
      fs.writeFileSync(file, content);
      return file;
    });
    const started = Date.now();
    const tags = await Promise.all(
      paths.map((dockerfilePath) => ensureNodeImage({ dockerfilePath, baseImage: process.env.MALACHITE_BASE_IMAGE || undefined })),
    );
    console.log(`build of a changed Dockerfile (cached layers): ${Date.now() - started} ms`);
    try {
      expect(tags[0]).toBe(tags[1]);
      expect(tags[0]).not.toBe(image);
      const images = await runtime.docker.listImages({ filters: { reference: [`${NODE_IMAGE_REPOSITORY}:*`] } });
      const repoTags = images.flatMap((i) => i.RepoTags ?? []);
      expect(repoTags).toContain(tags[0]);
      expect(repoTags.filter((t) => t.includes(`-${process.pid}-`))).toEqual([]);
      const info = await runtime.docker.getImage(tags[0]!).inspect();
      expect(info.Config.Labels?.["org.malachite.node-image"]).toBe("1");
    } finally {
      await runtime.docker
        .getImage(tags[0]!)
        .remove()
        .catch(() => undefined);
    }
  });

  test("an absent base image is an error naming it, nothing is pulled", async () => {
    await expect(ensureNodeImage({ baseImage: "malachite-absent:never" })).rejects.toThrow(/malachite-absent:never/);
  });
});

describe("DockerNodeRuntime", () => {
  test("a node has the hostname, the loopback address and the node root bind-mounted", async () => {
    const result = await run(["/bin/sh", "-c", 'hostname; echo hi > "$0"/from-node.txt', NODE_ROOT]);
    expect(result).toMatchObject({ exitCode: 0, killed: false, stdout: "shared-node\n" });
    expect(read(path.join(shared.hostDir, "from-node.txt"))).toBe("hi\n");
  });

  test("the task image has the Batch user and the tools the runtime relies on", async () => {
    const result = await run(["/bin/sh", "-c", "id -u _azbatch; id -g _azbatch; command -v setsid node bash"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split("\n").slice(0, 2)).toEqual(["1001", "1001"]);
  });

  test("exit codes are reported and stdout/stderr land in separate host files", async () => {
    expect(await run(["true"])).toMatchObject({ exitCode: 0, killed: false, stdout: "", stderr: "" });
    const failed = await run(["/bin/sh", "-c", "echo to-out; echo to-err >&2; exit 3"]);
    expect(failed).toMatchObject({ exitCode: 3, killed: false, stdout: "to-out\n", stderr: "to-err\n" });
  });

  test("output files are truncated first and large output arrives complete", async () => {
    const s = spec(shared.hostDir, ["/bin/sh", "-c", "seq 1 200000"]);
    fs.writeFileSync(s.stdoutPath, "old content that must go away\n".repeat(100_000));
    await runtime.exec(shared.containerId, s);
    const lines = read(s.stdoutPath).split("\n");
    expect(lines[0]).toBe("1");
    expect(lines.length).toBe(200_001);
    expect(lines[199_999]).toBe("200000");
  });

  test("arguments arrive literally: no shell interprets them", async () => {
    const args = ["a b", `it's "quoted"`, "$HOME", "*", "$(id -u)", "`id`", "; echo injected", "&&", "x\\ny", "", "~"];
    const result = await run(["printf", "[%s]\\n", ...args], { env: { HOME: "/should-not-appear" } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(args.map((a) => `[${a}]\n`).join(""));
  });

  test("the environment is passed: bash -c sees it", async () => {
    const result = await run(["/bin/bash", "-c", 'echo "$AZ_X|$AZ_Y"'], { env: { AZ_X: "hello world", AZ_Y: "a=b c" } });
    expect(result.stdout).toBe("hello world|a=b c\n");
  });

  test("working directory and user are honoured", async () => {
    const wd = path.join(shared.hostDir, "work", "wd");
    fs.mkdirSync(wd, { recursive: true });
    expect((await run(["pwd"], { workingDir: `${NODE_ROOT}/work/wd` })).stdout).toBe(`${NODE_ROOT}/work/wd\n`);
    expect((await run(["id", "-u"], { user: "root" })).stdout).toBe("0\n");
    const asTaskUser = await run(["/bin/sh", "-c", "id -u; id -g; touch mine"], { user: "1001:1001" });
    expect(asTaskUser).toMatchObject({ exitCode: 0, stdout: "1001\n1001\n" });
    expect(fs.statSync(path.join(shared.hostDir, "mine")).uid).toBe(1001);
  });

  test("aborting kills the whole process tree promptly", async () => {
    const s = spec(shared.hostDir, ["/bin/bash", "-c", "sleep 100 & sleep 100; wait"], { user: "1001:1001" });
    const controller = new AbortController();
    const pending = runtime.exec(shared.containerId, s, controller.signal);
    const before = await waitFor(async () => {
      const sleeps = (await processList(shared.containerId, shared.hostDir)).filter((l) => l.startsWith("sleep 100"));
      return sleeps.length === 2 ? sleeps : undefined;
    });
    expect(before).toHaveLength(2);
    const started = Date.now();
    controller.abort();
    const result = await pending;
    const ms = Date.now() - started;
    console.log(`abort to resolved: ${ms} ms`);
    expect(result).toMatchObject({ exitCode: 137, killed: true });
    expect(ms).toBeLessThan(5000);
    const after = await processList(shared.containerId, shared.hostDir);
    expect(after.filter((l) => l.includes("sleep 100"))).toEqual([]);
  });

  test("an abort while the process is being started still kills it", async () => {
    const controller = new AbortController();
    const s = spec(shared.hostDir, ["sleep", "100"]);
    const started = Date.now();
    const pending = runtime.exec(shared.containerId, s, controller.signal);
    setTimeout(() => controller.abort(), 15);
    expect((await pending).killed).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("an already aborted signal starts nothing", async () => {
    const s = spec(shared.hostDir, ["/bin/sh", "-c", `touch ${NODE_ROOT}/must-not-exist`]);
    const result = await runtime.exec(shared.containerId, s, AbortSignal.abort());
    expect(result).toEqual({ exitCode: 137, killed: true });
    expect(fs.existsSync(path.join(shared.hostDir, "must-not-exist"))).toBe(false);
    expect(read(s.stdoutPath)).toBe("");
  });

  test("a missing program exits 127, a non-executable one 126", async () => {
    const missing = await run(["no-such-program", "arg"]);
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toContain("no-such-program");
    expect((await run(["/etc/passwd"])).exitCode).toBe(126);
  });

  test("a pid file that cannot be written stops the task before it runs", async () => {
    const result = await run(["/bin/sh", "-c", "echo ran"], { user: "1001:1001", pidFile: "/root/pid" });
    expect(result.exitCode).toBe(125);
    expect(result.stdout).toBe("");
  });

  test("a process the engine cannot start at all is an Error", async () => {
    await expect(run(["true"], { workingDir: "/no/such/dir" })).rejects.toThrow(/Cannot start "true".*\/no\/such\/dir/);
  });

  test("a missing image is a clear error naming it", async () => {
    await expect(
      runtime.startNode({
        name: nodeContainerName(sessionId, "pool", "no-image"),
        image: "malachite-absent-image:1",
        labels: nodeLabels({ sessionId, poolId: "pool", nodeId: "no-image" }),
        hostNodeRootDir: makeHostDir(),
        nodeRootDir: NODE_ROOT,
      }),
    ).rejects.toThrow(/malachite-absent-image:1.*never pulls/);
  });

  test("removeNode twice is fine", async () => {
    const node = await startNode();
    await runtime.removeNode(node.containerId);
    await runtime.removeNode(node.containerId);
    expect(await runtime.listManaged({ [LABEL.session]: sessionId, [LABEL.node]: "node-" + nodeCounter })).toEqual([]);
  });

  test("listManaged filters by label values and by label presence", async () => {
    const all = await runtime.listManaged({ [LABEL.session]: sessionId, [LABEL.pool]: undefined });
    expect(all.map((c) => c.id)).toContain(shared.containerId);
    const shared0 = all.find((c) => c.id === shared.containerId)!;
    expect(shared0.name).toMatch(/^malachite-/);
    expect(shared0.labels[LABEL.managed]).toBe("true");
    expect(await runtime.listManaged({ [LABEL.session]: `${sessionId}-other` })).toEqual([]);
  });

  test("nodeStats reads the node's CPU, memory and block I/O from docker stats (no network: the node is on the host's network)", async () => {
    const busy = run(["/bin/sh", "-c", "end=$(($(date +%s) + 3)); while [ $(date +%s) -lt $end ]; do :; done"]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const stats = await runtime.nodeStats(shared.containerId);
    await busy;
    expect(stats?.cpuPercent).toBeGreaterThan(10);
    expect(stats?.memoryBytes).toBeGreaterThan(0);
    expect(stats?.diskReadBytes).toBeGreaterThanOrEqual(0);
    expect(stats?.networkInBytes).toBeUndefined();
  });

  test("per-exec overhead", async () => {
    await run(["true"]);
    const runs = 20;
    const started = performance.now();
    for (let i = 0; i < runs; i++) await run(["true"]);
    const mean = (performance.now() - started) / runs;
    console.log(`mean per-exec overhead of "true" over ${runs} runs: ${mean.toFixed(1)} ms`);
    expect(mean).toBeLessThan(2000);
  });
});

describe("leftover sweeper", () => {
  test("removes containers of dead owners and keeps those of live ones", async () => {
    const dead = await startNode({ ownerPid: await deadPid() });
    const live = await startNode(); // owned by this (live) process
    // Another test worker's backend may sweep the dead container first: what matters is that it goes.
    const removed = await sweepLeftovers(runtime);
    expect(removed).not.toContain(live.name);
    const names = (await runtime.listManaged({ [LABEL.session]: sessionId })).map((c) => c.name);
    expect(names).toContain(live.name);
    expect(names).not.toContain(dead.name);
    await runtime.removeNode(live.containerId);
  });

  test("keeps a dead owner's node containers of a data directory a live process owns, which another runtime can adopt", async () => {
    const dataDirOwnedBy = (pid: number) => {
      const dir = fs.mkdtempSync(path.join(hostRoot, "data-"));
      fs.mkdirSync(path.dirname(ownerPidFile(dir)), { recursive: true });
      fs.writeFileSync(ownerPidFile(dir), String(pid));
      // Last seen alive long ago: past the grace a crashed owner's containers get.
      const longAgo = new Date(Date.now() - 2 * ORPHAN_GRACE_MS);
      fs.utimesSync(ownerPidFile(dir), longAgo, longAgo);
      return dir;
    };
    const crashed = await deadPid();
    const owned = await startNode({ ownerPid: crashed, dataDir: dataDirOwnedBy(process.pid) });
    const abandoned = await startNode({ ownerPid: crashed, dataDir: dataDirOwnedBy(await deadPid()) });
    const removed = await sweepLeftovers(runtime);
    expect(removed).not.toContain(owned.name);
    const names = (await runtime.listManaged({ [LABEL.session]: sessionId })).map((c) => c.name);
    expect(names).toContain(owned.name);
    expect(names).not.toContain(abandoned.name);

    // A new process's runtime reattaches to the surviving container's agent and runs on it.
    const restarted = new DockerNodeRuntime();
    expect(await restarted.adoptNode(owned.containerId)).toBe(true);
    expect(await restarted.adoptNode(abandoned.containerId)).toBe(false);
    const result = await restarted.exec(owned.containerId, spec(owned.hostDir, ["/bin/sh", "-c", "echo adopted"]));
    expect(result.exitCode).toBe(0);
    await restarted.removeNode(owned.containerId);
  });

  test("leaves containers of other hosts alone and removes an explicitly named session", async () => {
    const otherSession = `${sessionId}-x`;
    const foreign = await startNode({ sessionId: otherSession });
    await runtime.docker.getContainer(foreign.containerId).inspect(); // exists
    // Pretend every process is dead but we are another host: nothing of this host may go.
    const removedAsOtherHost = await sweepLeftovers(runtime, { hostname: "some-other-host", isProcessAlive: () => false });
    expect(removedAsOtherHost).not.toContain(foreign.name);
    expect(removedAsOtherHost).not.toContain(nodeContainerName(sessionId, "pool", "node-1"));
    const removed = await sweepLeftovers(runtime, { sessionId: otherSession });
    expect(removed).toContain(foreign.name);
  });

  test("removeSession removes every container of a session", async () => {
    const otherSession = `${sessionId}-y`;
    const nodes = [await startNode({ sessionId: otherSession }), await startNode({ sessionId: otherSession })];
    const removed = await removeSession(runtime, otherSession);
    expect(removed.sort()).toEqual(nodes.map((n) => n.name).sort());
    expect(await runtime.listManaged({ [LABEL.session]: otherSession })).toEqual([]);
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
