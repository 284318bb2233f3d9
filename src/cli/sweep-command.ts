import { composeLeftoverSweep } from "../composition-root.js";
import { loadConfig } from "../core/config/index.js";
import { parseSweepArgs } from "./sweep-args.js";

export { SWEEP_USAGE } from "./sweep-args.js";

/**
 * `malachite sweep`: removes node containers whose owning process is gone, on the node runtime
 * of the local backend (leftovers are found by their Docker labels, whatever the data directory
 * or ports of the run that left them; the backend setting is for `tutorial`).
 */
export async function sweepCommand(argv: string[]): Promise<number> {
  const { config } = parseSweepArgs(argv);
  const sweep = await composeLeftoverSweep(loadConfig({ backend: "local", config }));
  const removed = await sweep();
  process.stdout.write(removed.length > 0 ? `removed ${removed.join(", ")}\n` : "nothing to remove\n");
  return 0;
}
