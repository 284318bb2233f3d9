import { parseArgs } from "node:util";

export const SWEEP_USAGE = "usage: malachite sweep [--config FILE]";

/** `malachite sweep`'s one flag: the config file to read. */
export function parseSweepArgs(argv: string[]): { config?: string } {
  const { values } = parseArgs({ args: argv, options: { config: { type: "string" } }, strict: true, allowPositionals: false });
  return { config: values.config };
}
