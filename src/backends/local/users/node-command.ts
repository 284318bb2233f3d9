import { randomUUID } from "node:crypto";
import path from "node:path";
import type { NodeRuntime } from "../docker/node-runtime.js";
import { NodeRootFs } from "../files/node-root-fs.js";
import { nodePaths } from "../execution/node-layout.js";

/** What an administrative command printed, and how it exited. */
export interface CommandOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The node where administrative commands run: its container and its root directory on the host. */
export interface NodeHandle {
  containerId: string;
  hostRoot: string;
}

const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/** Output a command may leave; more is cut (administrative commands print a line or two). */
const MAX_OUTPUT = 64 * 1024;

async function readOutput(root: NodeRootFs, relative: string): Promise<string> {
  const handle = await root.openFile(relative);
  try {
    const buffer = Buffer.alloc(MAX_OUTPUT);
    const { bytesRead } = await handle.read(buffer, 0, MAX_OUTPUT, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

/**
 * Runs a program (argv, no shell) as root in the node's container through the NodeRuntime, as
 * the node agent runs its own administration, and returns its output. The output goes through
 * files below the node root's `volatile` directory, removed afterwards.
 */
export async function runAsRoot(runtime: NodeRuntime, node: NodeHandle, argv: string[]): Promise<CommandOutput> {
  const paths = nodePaths(node.hostRoot);
  const root = new NodeRootFs(node.hostRoot);
  const name = `malachite-admin-${randomUUID()}`;
  const stdout = path.posix.join("volatile", `${name}.stdout`);
  const stderr = path.posix.join("volatile", `${name}.stderr`);
  const pidFile = path.posix.join("volatile", "pids", `${name}.pid`);
  try {
    const { exitCode } = await runtime.exec(node.containerId, {
      argv,
      env: { PATH: SYSTEM_PATH, LC_ALL: "C" },
      workingDir: "/",
      user: "root",
      hostRoot: node.hostRoot,
      stdoutPath: paths.host(stdout),
      stderrPath: paths.host(stderr),
      pidFile: paths.container(pidFile),
    });
    return { exitCode, stdout: await readOutput(root, stdout), stderr: await readOutput(root, stderr) };
  } finally {
    await Promise.all([stdout, stderr, pidFile].map((file) => root.remove(file).catch(() => undefined)));
  }
}
