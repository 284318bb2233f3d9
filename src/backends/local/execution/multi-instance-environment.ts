import os from "node:os";
import type { EnvironmentSetting } from "../../../core/models/index.js";

/**
 * The port `AZ_BATCH_MASTER_NODE` names, as in the documented example (`10.0.0.4:6000`). The
 * service reserves it for itself ("Do not use the port specified here for MPI"), so nothing
 * listens on it locally either.
 */
export const MASTER_NODE_PORT = 6000;

/**
 * The variables of a multi-instance task's primary and subtasks (articles/batch/
 * batch-compute-node-environment-variables.md): the nodes' addresses as the nodes report them
 * (`ipAddress`). Local nodes share the host's network (host networking), so every node's address
 * is the host's loopback and a service one node starts is reached at 127.0.0.1 from every other:
 * nodes tell their services apart by port, not by address. `CCP_NODES` gives each node the host's
 * cores, which its container may use.
 */
export function multiInstanceEnvironment(options: { hostAddresses: readonly string[]; isMaster: boolean; taskDir: string }): EnvironmentSetting[] {
  const { hostAddresses, isMaster, taskDir } = options;
  const cores = os.availableParallelism();
  const variables: Record<string, string> = {
    AZ_BATCH_HOST_LIST: hostAddresses.join(","),
    AZ_BATCH_NODE_LIST: hostAddresses.join(";"),
    AZ_BATCH_MASTER_NODE: `${hostAddresses[0] ?? ""}:${MASTER_NODE_PORT}`,
    AZ_BATCH_IS_CURRENT_NODE_MASTER: isMaster ? "true" : "false",
    AZ_BATCH_TASK_SHARED_DIR: taskDir,
    CCP_NODES: [hostAddresses.length, ...hostAddresses.map((address) => `${address} ${cores}`)].join(" "),
  };
  return Object.entries(variables).map(([name, value]) => ({ name, value }));
}
