import { DockerNodeRuntime } from "../backends/local/docker/docker-node-runtime.js";
import { sweepLeftovers } from "../backends/local/docker/leftover-sweeper.js";

/** `malachite sweep`: removes node containers whose owning process is gone. */
export async function sweepCommand(): Promise<number> {
  const removed = await sweepLeftovers(new DockerNodeRuntime());
  process.stdout.write(removed.length > 0 ? `removed ${removed.join(", ")}\n` : "nothing to remove\n");
  return 0;
}
