/**
 * Entry point of the node agent's bundle (scripts/bundle-agent.mjs), the node container's main
 * process: `node node-agent.cjs <socket path> <node root> [<uid>:<gid>]`, the last being the
 * emulator's own account on the host, which gets the socket (root alone may use it otherwise).
 * Anything it cannot handle ends it, and with it the container: the emulator then sees the node die.
 */
import { startAgentServer } from "./agent-server.js";

const [socketPath, nodeRoot, owner] = process.argv.slice(2);
const [uid, gid] = (owner ?? "").split(":").map(Number);
if (!socketPath || !nodeRoot || (owner !== undefined && !(Number.isInteger(uid) && Number.isInteger(gid)))) {
  console.error("usage: node-agent <socket path> <node root> [<uid>:<gid>]");
  process.exit(2);
}
startAgentServer({
  socketPath,
  nodeRoot,
  ...(owner === undefined ? {} : { owner: { uid: uid as number, gid: gid as number } }),
  log: (line) => console.error(`malachite-agent: ${line}`),
}).then(
  () => console.error(`malachite-agent: listening on ${socketPath} (pid ${process.pid})`),
  (error: unknown) => {
    console.error(`malachite-agent: cannot listen on ${socketPath}: ${(error as Error).message}`);
    process.exit(1);
  },
);
