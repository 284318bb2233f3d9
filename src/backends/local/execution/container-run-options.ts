import { isBatchError } from "../../../core/batch-error.js";
import { splitCommandLine } from "./command-line.js";

/**
 * A task's `containerRunOptions` — extra `docker create` arguments on Batch — mapped onto the
 * Docker API. Only a safe subset is honoured; anything else makes the task fail with
 * ContainerInvalidSettings instead of being silently ignored:
 *
 * - `--rm`, `--init`: accepted; task containers are always removed and always run docker-init;
 * - `-e`/`--env NAME=VALUE`: added to (or overriding) the task's environment; `-e NAME` alone
 *   takes the value from the task's environment, which the container already has, so is a no-op;
 * - `-w`/`--workdir DIR`: the working directory (overrides `workingDirectory`);
 * - `-u`/`--user USER[:GROUP]`: the user (overrides the task's auto-user);
 * - `--entrypoint PROGRAM`: the entrypoint; the command line becomes its arguments;
 *   `--entrypoint ""` clears the image's entrypoint;
 * - `-l`/`--label KEY=VALUE`: a container label (not `malachite.*`);
 * - `--network`/`--net host`: nodes use host networking; any other network is refused.
 *
 * Values may follow as the next word, after `=` (`--env=A=1`), or attached to a short option (`-eA=1`).
 */
export interface ContainerRunOptions {
  env: Record<string, string>;
  workingDir?: string;
  user?: string;
  /** `--entrypoint`: one program (Docker's flag takes a single path); "" clears the image's. */
  entrypoint?: string;
  labels: Record<string, string>;
}

export const SUPPORTED_RUN_OPTIONS = "--rm, --init, -e/--env, -w/--workdir, -u/--user, --entrypoint, -l/--label, --network host";

/** An option Malachite does not honour, or a malformed one; the message says which. */
export class ContainerRunOptionsError extends Error {
  override name = "ContainerRunOptionsError";
}

const FLAGS = new Set(["--rm", "--init"]);
const WITH_VALUE: Record<string, string> = {
  "-e": "env",
  "--env": "env",
  "-w": "workdir",
  "--workdir": "workdir",
  "-u": "user",
  "--user": "user",
  "--entrypoint": "entrypoint",
  "-l": "label",
  "--label": "label",
  "--network": "network",
  "--net": "network",
};

function unsupported(option: string, why = ""): ContainerRunOptionsError {
  return new ContainerRunOptionsError(
    `containerRunOptions: ${JSON.stringify(option)} is not supported by Malachite${why ? ` (${why})` : ""}; supported: ${SUPPORTED_RUN_OPTIONS}.`,
  );
}

/** Splits a word into the option and an inline value: `--env=A=1`, `-eA=1`, `-e=A=1`. */
function optionAndValue(word: string): { option: string; value?: string } {
  if (word.startsWith("--")) {
    const eq = word.indexOf("=");
    return eq < 0 ? { option: word } : { option: word.slice(0, eq), value: word.slice(eq + 1) };
  }
  if (word.length > 2 && WITH_VALUE[word.slice(0, 2)]) {
    const rest = word.slice(2);
    return { option: word.slice(0, 2), value: rest.startsWith("=") ? rest.slice(1) : rest };
  }
  return { option: word };
}

export function parseContainerRunOptions(text: string | undefined): ContainerRunOptions {
  const parsed: ContainerRunOptions = { env: {}, labels: {} };
  if (text === undefined || text.trim() === "") return parsed;
  let words: string[];
  try {
    words = splitCommandLine(text, "containerSettings.containerRunOptions");
  } catch (error) {
    throw new ContainerRunOptionsError(`containerRunOptions: ${isBatchError(error) ? error.message : String(error)}`);
  }
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (FLAGS.has(word)) continue;
    const { option, value: inline } = optionAndValue(word);
    const kind = WITH_VALUE[option];
    if (!kind) throw unsupported(word, word.startsWith("-") ? "" : "not an option");
    if (FLAGS.has(option)) throw unsupported(word, "takes no value");
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= words.length) throw new ContainerRunOptionsError(`containerRunOptions: ${option} needs a value.`);
      value = words[++i] ?? "";
    }
    apply(parsed, kind, option, value);
  }
  return parsed;
}

function apply(parsed: ContainerRunOptions, kind: string, option: string, value: string): void {
  switch (kind) {
    case "env": {
      const eq = value.indexOf("=");
      if (eq === 0 || value === "") throw new ContainerRunOptionsError(`containerRunOptions: ${option} ${JSON.stringify(value)} names no variable.`);
      // `-e NAME` passes the variable through; the container has the task's environment already.
      if (eq > 0) parsed.env[value.slice(0, eq)] = value.slice(eq + 1);
      return;
    }
    case "workdir":
      if (!value.startsWith("/")) throw new ContainerRunOptionsError(`containerRunOptions: ${option} needs an absolute path, not ${JSON.stringify(value)}.`);
      parsed.workingDir = value;
      return;
    case "user":
      if (value === "") throw new ContainerRunOptionsError(`containerRunOptions: ${option} needs a user.`);
      parsed.user = value;
      return;
    case "entrypoint":
      parsed.entrypoint = value;
      return;
    case "label": {
      const eq = value.indexOf("=");
      const key = eq < 0 ? value : value.slice(0, eq);
      if (key === "" || key.startsWith("malachite.")) throw unsupported(`${option} ${value}`, "malachite.* labels are Malachite's own");
      parsed.labels[key] = eq < 0 ? "" : value.slice(eq + 1);
      return;
    }
    case "network":
      if (value !== "host") throw unsupported(`${option} ${value}`, "compute nodes use host networking");
      return;
  }
}
