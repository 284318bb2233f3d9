/**
 * Whether a node container still runs, and when it stops: how the local backend notices a node
 * that died without being asked to (killed, crashed, the engine restarted).
 */
import type Dockerode from "dockerode";
import { dockerStatusCode } from "./docker-call.js";
import type { NodeExit } from "./node-runtime.js";

/** Resolves when the container stops, for whatever reason (a removal included). */
export async function waitForContainerExit(docker: Dockerode, containerId: string): Promise<NodeExit> {
  try {
    const result = (await docker.getContainer(containerId).wait()) as { StatusCode?: number };
    return { exitCode: result.StatusCode };
  } catch (error) {
    // Already gone: it stopped before anyone watched.
    if (dockerStatusCode(error) === 404) return {};
    throw error;
  }
}

export async function isContainerRunning(docker: Dockerode, containerId: string): Promise<boolean> {
  try {
    const info = await docker.getContainer(containerId).inspect();
    return info.State.Running;
  } catch (error) {
    if (dockerStatusCode(error) === 404) return false;
    throw error;
  }
}

/** SIGKILL to the whole container, as a VM that disappears. */
export async function killContainer(docker: Dockerode, containerId: string): Promise<void> {
  try {
    await docker.getContainer(containerId).kill();
  } catch (error) {
    const status = dockerStatusCode(error);
    // 404: gone; 409: not running. Either way it is not running any more.
    if (status !== 404 && status !== 409) throw error;
  }
}
