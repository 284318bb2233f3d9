import path from "node:path";
import { randomUUID } from "node:crypto";
import { createLogger } from "../../../core/logger.js";
import type { NodeRuntime } from "../docker/node-runtime.js";
import { NodeRootFs } from "../files/node-root-fs.js";
import { NODE_ROOT_DIR, nodePaths } from "./node-layout.js";

const log = createLogger("malachite:process-group");

/**
 * Kills what is left of a process group the exec wrapper recorded (`<pgid> <ppid> <nonce>`, see
 * docker-node-runtime.ts): the background processes a command started and left running. A group
 * with no member left is no error (`kill` fails, the script does not).
 */
const END_GROUP_SCRIPT = 'read -r pg _ < "$1" 2>/dev/null || exit 0; kill -s KILL -- "-$pg" 2>/dev/null; exit 0';

/**
 * Ends the processes a finished command left running on a node, as the service ends a
 * multi-instance task's subtasks when its primary ends, then removes the group's record. A node
 * that is gone has nothing left to end: failures are logged, never thrown.
 */
export async function endProcessGroup(runtime: NodeRuntime, containerId: string, hostNodeRoot: string, groupFile: string): Promise<void> {
  const paths = nodePaths(hostNodeRoot);
  const root = new NodeRootFs(hostNodeRoot);
  const own = path.posix.join("volatile", "pids", `end-${randomUUID()}`);
  try {
    await runtime.exec(containerId, {
      argv: ["/bin/sh", "-c", END_GROUP_SCRIPT, "malachite-end", paths.container(groupFile)],
      env: {},
      workingDir: NODE_ROOT_DIR,
      user: "root",
      hostRoot: hostNodeRoot,
      stdoutPath: paths.host(`${own}.out`),
      stderrPath: paths.host(`${own}.err`),
      pidFile: paths.container(`${own}.pid`),
    });
  } catch (error) {
    log.debug(`cannot end process group ${groupFile}: ${(error as Error).message}`);
  } finally {
    await Promise.all([groupFile, `${own}.out`, `${own}.err`, `${own}.pid`].map((file) => root.remove(file).catch(() => undefined)));
  }
}
