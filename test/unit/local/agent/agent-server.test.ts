/**
 * The node agent's server and client on this host (no Docker): the agent runs here as it runs in
 * a node container, in a temporary "node root", and its processes are real ones.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AgentClient, AgentRefusedError } from "../../../../src/backends/local/agent/agent-client.js";
import type { RunRequest } from "../../../../src/backends/local/agent/agent-protocol.js";
import { startAgentServer, type AgentServer } from "../../../../src/backends/local/agent/agent-server.js";

const isRoot = process.getuid?.() === 0;
let root: string;
let socketPath: string;
let server: AgentServer;
let client: AgentClient;
let counter = 0;

beforeAll(async () => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "malachite-agent-test-")));
  fs.mkdirSync(path.join(root, "wd"));
  fs.mkdirSync(path.join(root, "pids"));
  socketPath = path.join(root, "agent.sock");
  server = await startAgentServer({ socketPath, nodeRoot: root });
  client = await AgentClient.connect(socketPath, { timeoutMs: 5_000 });
});

afterAll(async () => {
  client.close();
  await server.close();
  fs.rmSync(root, { recursive: true, force: true });
});

type Options = Partial<Omit<RunRequest, "type" | "id" | "argv">>;

function request(argv: string[], options: Options = {}): Omit<RunRequest, "type" | "id"> & { out: string; err: string } {
  const n = ++counter;
  return {
    argv,
    env: {},
    cwd: path.join(root, "wd"),
    user: "root",
    outputRoot: root,
    stdout: `out-${n}.txt`,
    stderr: `err-${n}.txt`,
    ...options,
    out: path.join(root, options.stdout ?? `out-${n}.txt`),
    err: path.join(root, options.stderr ?? `err-${n}.txt`),
  };
}

async function run(argv: string[], options: Options = {}) {
  const { out, err, ...spec } = request(argv, options);
  const exit = await client.run(spec).done;
  return { ...exit, stdout: fs.readFileSync(out, "utf8"), stderr: fs.readFileSync(err, "utf8") };
}

/** Whether a pid is a live process (a zombie waiting for its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean, ms = 5_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

describe("what a run used", () => {
  test("its exit reports the CPU time and write calls of the process it reaped", async () => {
    // A shell loop (CPU in the shell itself), then 1 MB written in 4 KiB blocks.
    const script = 'i=0; while [ "$i" -lt 200000 ]; do i=$((i+1)); done; dd if=/dev/zero of=big.bin bs=4096 count=256 2>/dev/null';
    const exit = await run(["sh", "-c", script]);
    expect(exit.exitCode).toBe(0);
    expect((exit.usage.userCpuMs ?? 0) + (exit.usage.kernelCpuMs ?? 0)).toBeGreaterThan(0);
    // Other children this process reaped meanwhile can only add to the counts.
    expect(exit.usage.writeOps).toBeGreaterThanOrEqual(256);
  });
});

describe("the agent's socket", () => {
  test("is the agent owner's alone and greets with the protocol version", () => {
    expect(fs.statSync(socketPath).mode & 0o777).toBe(0o600);
    expect(client.hello).toMatchObject({ type: "hello", version: 1, pid: process.pid });
  });

  test.skipIf(!isRoot)("can be given to the emulator's account when that is not root", async () => {
    const ownedSocket = path.join(root, "owned.sock");
    const owned = await startAgentServer({ socketPath: ownedSocket, nodeRoot: root, owner: { uid: 4242, gid: 4343 } });
    try {
      expect(fs.statSync(ownedSocket)).toMatchObject({ uid: 4242, gid: 4343 });
      expect(fs.statSync(ownedSocket).mode & 0o777).toBe(0o600);
    } finally {
      await owned.close();
    }
  });
});

describe("running a process", () => {
  test("exit codes, and stdout and stderr in their own files", async () => {
    expect(await run(["true"])).toMatchObject({ exitCode: 0, killed: false, stdout: "", stderr: "" });
    const failed = await run(["/bin/sh", "-c", "echo to-out; echo to-err >&2; exit 3"]);
    expect(failed).toMatchObject({ exitCode: 3, killed: false, stdout: "to-out\n", stderr: "to-err\n" });
    expect(failed.pid).toBeGreaterThan(0);
    expect(failed.usage.wallMs).toBeGreaterThan(0);
  });

  test("a process ended by signal n exits 128 + n", async () => {
    expect(await run(["/bin/sh", "-c", "kill -TERM $$"])).toMatchObject({ exitCode: 143, signal: "SIGTERM", killed: false });
    expect(await run(["/bin/sh", "-c", "kill -KILL $$"])).toMatchObject({ exitCode: 137, signal: "SIGKILL", killed: false });
  });

  test("arguments arrive literally, the environment is the agent's plus the run's, HOME from passwd unless given", async () => {
    const args = ["a b", "$HOME", "*", "$(id -u)", "; echo injected", "", "~"];
    const literal = await run(["printf", "[%s]\\n", ...args]);
    expect(literal.stdout).toBe(args.map((a) => `[${a}]\n`).join(""));
    const env = await run(["/bin/sh", "-c", 'echo "$AZ_X|$HOME|${PATH:+path}"'], { env: { AZ_X: "hello world" } });
    expect(env.stdout).toBe("hello world|/root|path\n");
    expect((await run(["/bin/sh", "-c", 'echo "$HOME"'], { env: { HOME: "/given" } })).stdout).toBe("/given\n");
  });

  test("the working directory is the run's; a missing one refuses the run", async () => {
    expect((await run(["pwd"])).stdout).toBe(`${path.join(root, "wd")}\n`);
    await expect(run(["true"], { cwd: "/no/such/dir" })).rejects.toThrow(AgentRefusedError);
    await expect(run(["true"], { cwd: "/no/such/dir" })).rejects.toThrow(/chdir to cwd \("\/no\/such\/dir"\)/);
  });

  test("an unknown user refuses the run", async () => {
    await expect(run(["true"], { user: "no-such-user-here" })).rejects.toThrow(/unable to find user no-such-user-here/);
  });

  test.skipIf(!isRoot)("a numeric uid:gid runs as that user and group", async () => {
    fs.chmodSync(path.join(root, "wd"), 0o777);
    const result = await run(["/bin/sh", "-c", "id -u; id -g; touch mine"], { user: "4242:4343" });
    expect(result).toMatchObject({ exitCode: 0, stdout: "4242\n4343\n" });
    expect(fs.statSync(path.join(root, "wd", "mine"))).toMatchObject({ uid: 4242, gid: 4343 });
  });

  test("a missing program exits 127 and a non-executable one 126, the reason on stderr", async () => {
    const missing = await run(["no-such-program", "arg"]);
    expect(missing).toMatchObject({ exitCode: 127, killed: false, stderr: "malachite: no-such-program: not found\n" });
    expect(missing.pid).toBeUndefined();
    fs.writeFileSync(path.join(root, "wd", "not-executable"), "#!/bin/sh\necho ran\n", { mode: 0o644 });
    expect(await run(["./not-executable"])).toMatchObject({ exitCode: 126, stdout: "", stderr: "malachite: ./not-executable: Permission denied\n" });
  });

  test("an executable script without #! runs under sh, as a shell runs it", async () => {
    fs.writeFileSync(path.join(root, "wd", "plain-script"), "echo plain $1\n", { mode: 0o755 });
    expect(await run(["./plain-script", "arg"])).toMatchObject({ exitCode: 0, stdout: "plain arg\n" });
  });

  test("a link left at an output file's name is replaced, never written through", async () => {
    const outside = path.join(os.tmpdir(), `malachite-agent-victim-${process.pid}`);
    fs.writeFileSync(outside, "untouched\n");
    try {
      fs.symlinkSync(outside, path.join(root, "linked-out.txt"));
      const result = await run(["echo", "written"], { stdout: "linked-out.txt" });
      expect(result.stdout).toBe("written\n");
      expect(fs.lstatSync(path.join(root, "linked-out.txt")).isSymbolicLink()).toBe(false);
      expect(fs.readFileSync(outside, "utf8")).toBe("untouched\n");
      await expect(run(["true"], { stdout: "../escape.txt" })).rejects.toThrow(/not inside the node's directory/);
    } finally {
      fs.rmSync(outside, { force: true });
    }
  });
});

describe("preparing the task's directory", () => {
  test.skipIf(!isRoot)("makes the working directory and gives the task's tree to its user, links re-owned, never followed", async () => {
    const outside = path.join(os.tmpdir(), `malachite-agent-owned-${process.pid}`);
    fs.writeFileSync(outside, "host file\n");
    try {
      fs.mkdirSync(path.join(root, "task", "staged"), { recursive: true });
      fs.writeFileSync(path.join(root, "task", "staged", "input.txt"), "x");
      fs.symlinkSync(outside, path.join(root, "task", "staged", "link-out"));
      const result = await run(["/bin/sh", "-c", "pwd; id -u; touch made-here"], {
        user: "4242:4343",
        cwd: path.join(root, "task", "wd"),
        prepare: { directory: "task/wd", ownTree: "task", uid: 4242, gid: 4343 },
      });
      expect(result).toMatchObject({ exitCode: 0, stdout: `${path.join(root, "task", "wd")}\n4242\n` });
      for (const entry of ["task", "task/wd", "task/staged", "task/staged/input.txt", "task/wd/made-here"]) {
        expect(fs.statSync(path.join(root, entry)), entry).toMatchObject({ uid: 4242, gid: 4343 });
      }
      expect(fs.lstatSync(path.join(root, "task", "staged", "link-out"))).toMatchObject({ uid: 4242 });
      expect(fs.statSync(outside)).toMatchObject({ uid: 0, gid: 0 });
    } finally {
      fs.rmSync(outside, { force: true });
    }
  });

  test("refuses a directory outside the node root", async () => {
    await expect(run(["true"], { prepare: { directory: "../elsewhere", ownTree: "../elsewhere", uid: 0, gid: 0 } })).rejects.toThrow(
      /not inside the node's directory/,
    );
  });
});

describe("process groups", () => {
  test("the pid file records the group, the agent and the nonce", async () => {
    const result = await run(["/bin/sh", "-c", "echo $$"], { pidFile: "pids/group.pid", nonce: "n0nce" });
    expect(fs.readFileSync(path.join(root, "pids/group.pid"), "utf8")).toBe(`${result.pid} ${process.pid} n0nce\n`);
    expect(result.stdout).toBe(`${result.pid}\n`);
  });

  test("a pid file that cannot be created stops the run before it starts (125)", async () => {
    const result = await run(["/bin/sh", "-c", "echo ran"], { pidFile: "../outside.pid" });
    expect(result).toMatchObject({ exitCode: 125, stdout: "" });
    expect(result.stderr).toMatch(/^malachite: cannot record the process group in \.\.\/outside\.pid/);
  });

  test("a kill ends the whole group, background processes included", async () => {
    const { out, err: _err, ...spec } = request(["/bin/sh", "-c", "sleep 100 & echo $!; sleep 100; wait"]);
    const running = client.run(spec);
    expect(await eventually(() => fs.existsSync(out) && fs.readFileSync(out, "utf8").length > 0)).toBe(true);
    const background = Number(fs.readFileSync(out, "utf8"));
    expect(alive(background)).toBe(true);
    running.kill();
    expect(await running.done).toMatchObject({ exitCode: 137, signal: "SIGKILL", killed: true });
    expect(await eventually(() => !alive(background))).toBe(true);
  });

  test("a kill that arrives before the start means nothing starts", async () => {
    const marker = path.join(root, "must-not-exist");
    const { out, err: _err, ...spec } = request(["/bin/sh", "-c", `touch ${marker}`]);
    const running = client.run(spec);
    running.kill();
    expect(await running.done).toMatchObject({ exitCode: 137, killed: true });
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.readFileSync(out, "utf8")).toBe("");
  });
});

describe("losing the agent", () => {
  test("pending runs end as killed with the node (137) and the loss is reported once", async () => {
    const otherSocket = path.join(root, "other.sock");
    const other = await startAgentServer({ socketPath: otherSocket, nodeRoot: root });
    const otherClient = await AgentClient.connect(otherSocket, { timeoutMs: 5_000 });
    const losses: string[] = [];
    otherClient.onLost((reason) => losses.push(reason));
    const { out: _out, err: _err, ...spec } = request(["sleep", "2"]);
    const running = otherClient.run(spec);
    await other.close();
    expect(await running.done).toMatchObject({ exitCode: 137, killed: false });
    expect(losses).toEqual(["the connection to the node agent was lost"]);
    expect(await otherClient.run(spec).done).toMatchObject({ exitCode: 137 });
  });

  test("an emulator that goes away takes its runs with it; the agent keeps serving the next one", async () => {
    const gone = await AgentClient.connect(socketPath, { timeoutMs: 5_000 });
    const { out, err: _err, ...spec } = request(["/bin/sh", "-c", "sleep 100 & echo $!; sleep 100; wait"]);
    void gone.run(spec).done;
    expect(await eventually(() => fs.existsSync(out) && fs.readFileSync(out, "utf8").length > 0)).toBe(true);
    const background = Number(fs.readFileSync(out, "utf8"));
    expect(alive(background)).toBe(true);
    gone.close();
    expect(await eventually(() => !alive(background))).toBe(true);
    const next = await AgentClient.connect(socketPath, { timeoutMs: 5_000 });
    const { out: _o, err: _e, ...again } = request(["/bin/true"]);
    expect(await next.run(again).done).toMatchObject({ exitCode: 0 });
    next.close();
  });

  test("connecting to a socket nobody listens on fails after the timeout", async () => {
    await expect(AgentClient.connect(path.join(root, "nobody.sock"), { timeoutMs: 100 })).rejects.toThrow(/cannot reach the node agent/);
  });
});
