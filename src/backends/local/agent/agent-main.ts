/**
 * Entry point of the node agent's bundle (scripts/bundle-agent.mjs), the node container's main
 * process: `node node-agent.cjs <socket path> <node root>`. Anything it cannot handle ends it,
 * and with it the container: the emulator then sees the node die.
 */
import { startAgentServer } from "./agent-server.js";

const [socketPath, nodeRoot] = process.argv.slice(2);
if (!socketPath || !nodeRoot) {
  console.error("usage: node-agent <socket path> <node root>");
  process.exit(2);
}
startAgentServer({ socketPath, nodeRoot, log: (line) => console.error(`malachite-agent: ${line}`) }).then(
  () => console.error(`malachite-agent: listening on ${socketPath} (pid ${process.pid})`),
  (error: unknown) => {
    console.error(`malachite-agent: cannot listen on ${socketPath}: ${(error as Error).message}`);
    process.exit(1);
  },
);
