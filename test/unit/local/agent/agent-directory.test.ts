/** The host directory of a node container's agent, named after its node's root. */
import { describe, expect, test } from "vitest";
import { agentDirectoryId, newAgentDirectory, nodeRootOfAgentDirectory } from "../../../../src/backends/local/docker/agent-directory.js";

describe("agent directories", () => {
  const root = "/data/nodes/pool-1/tvm-1_1-20250101t000000z";

  test("are new for each container, next to the node's root, and lead back to it", () => {
    const first = newAgentDirectory(root);
    const second = newAgentDirectory(root);
    expect(first).toMatch(/^\/data\/nodes\/pool-1\/tvm-1_1-20250101t000000z\.agent-[0-9a-f]{12}$/);
    expect(second).not.toBe(first);
    expect(nodeRootOfAgentDirectory(first)).toBe(root);
    expect(agentDirectoryId(first)).toBe(first.slice(-12));
  });

  test("nothing else is taken for one", () => {
    for (const dir of [root, `${root}.agent`, `${root}.agent-XYZ`, `${root}.agent-0123456789ab/sub`, `${root}.agent-0123456789abc`]) {
      expect(nodeRootOfAgentDirectory(dir), dir).toBeUndefined();
    }
  });
});
