import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, type ConfigFlags } from "../core/config/index.js";
import type { CleanupChoice } from "../workflow/confirm.js";
import { CONFIG_FLAG_OPTIONS, configFlags } from "./config-flags.js";

export interface TutorialArgs {
  flags: ConfigFlags;
  inputFiles?: string[];
  numWords: number;
  nodes: number;
  outputDir: string;
  cleanup: CleanupChoice;
  timeoutMs: number;
  pollMs: number;
}

export const TUTORIAL_USAGE = `usage: malachite tutorial [--input FILE...] [--numwords N] [--nodes N] [--output DIR]
                          [--yes | --keep] [--backend local] [--config FILE] [--data-dir DIR]
                          [--blob-port N] [--blob-location DIR] [--in-memory] [--timeout-minutes N] [--poll-ms N]`;

function positiveInteger(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new ConfigError(`--${name} must be an integer of at least ${min}, not '${value}'`);
  return number;
}

export function parseTutorialArgs(argv: string[]): TutorialArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: "string", multiple: true },
      numwords: { type: "string" },
      nodes: { type: "string" },
      output: { type: "string" },
      yes: { type: "boolean", short: "y" },
      keep: { type: "boolean" },
      ...CONFIG_FLAG_OPTIONS,
      "timeout-minutes": { type: "string" },
      "poll-ms": { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.yes && values.keep) throw new ConfigError("--yes and --keep exclude each other");
  return {
    flags: configFlags(values),
    inputFiles: values.input,
    numWords: positiveInteger("numwords", values.numwords, 3, 0),
    nodes: positiveInteger("nodes", values.nodes, 1),
    outputDir: path.resolve(values.output ?? "tutorial-output"),
    cleanup: values.yes ? "yes" : values.keep ? "keep" : "ask",
    timeoutMs: positiveInteger("timeout-minutes", values["timeout-minutes"], 20) * 60_000,
    pollMs: positiveInteger("poll-ms", values["poll-ms"], 1000),
  };
}
