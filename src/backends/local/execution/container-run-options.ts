import { isBatchError } from "../../../core/batch-error.js";
import type { TaskContainerEngineSettings } from "../docker/node-runtime.js";
import { splitCommandLine } from "./command-line.js";
import { RunOptionValueError, bytesOf, deviceOf, gpusOf, integerOf, mountOf, nanoCpusOf, ulimitOf, volumeOf } from "./run-option-values.js";

/**
 * A task's `containerRunOptions` — extra `docker create` arguments on Batch, which passes them to
 * the engine as they are — read like Docker's CLI reads them (quoting, `--opt=value`, `--opt
 * value`, `-eA=1`) and mapped onto the Docker API. What works on one host is honoured (see
 * SUPPORTED_RUN_OPTIONS); an option that cannot work locally, or that Malachite does not know,
 * makes the task fail with ContainerInvalidSettings and says why, instead of being ignored.
 *
 * Host paths (`-v /data:/data`, `--mount type=bind,source=...`) are the paths of the machine
 * Malachite runs on, except below the node root (`/mnt/batch/tasks/...`), which is the node's own
 * directory, as on a Batch VM.
 */
export interface ContainerRunOptions {
  env: Record<string, string>;
  workingDir?: string;
  user?: string;
  /** `--entrypoint`: one program (Docker's flag takes a single path); "" clears the image's. */
  entrypoint?: string;
  labels: Record<string, string>;
  /** `--name`: unique per node, as on a Batch VM's engine. */
  name?: string;
  /** `-v HOST:CONTAINER[:MODES]` binds (host paths). */
  binds: { source: string; target: string; modes: string[] }[];
  engine: TaskContainerEngineSettings;
}

export const SUPPORTED_RUN_OPTIONS =
  "--rm, --init, -e/--env, -w/--workdir, -u/--user, --entrypoint, -l/--label, --network host, -v/--volume (host paths, anonymous volumes), " +
  "--mount (bind, tmpfs, anonymous volume), --tmpfs, --name, --shm-size, -m/--memory, --memory-swap, --memory-reservation, --cpus, " +
  "-c/--cpu-shares, --cpuset-cpus, --pids-limit, --ulimit, --cap-add, --cap-drop, --gpus, --device, --privileged, --read-only, --ipc, --sysctl";

/** An option Malachite does not honour, or a malformed one; the message says which. */
export class ContainerRunOptionsError extends Error {
  override name = "ContainerRunOptionsError";
}

type Apply = (parsed: ContainerRunOptions, value: string, option: string) => void;

const FLAGS: Record<string, (parsed: ContainerRunOptions, on: boolean) => void> = {
  // Task containers are always removed after their task and always run docker-init.
  "--rm": () => undefined,
  "--init": () => undefined,
  "--privileged": (parsed, on) => (parsed.engine.privileged = on),
  "--read-only": (parsed, on) => (parsed.engine.readOnlyRootfs = on),
};

const WITH_VALUE: Record<string, Apply> = {
  "--env": (parsed, value, option) => {
    const eq = value.indexOf("=");
    if (eq === 0 || value === "") throw new ContainerRunOptionsError(`containerRunOptions: ${option} ${JSON.stringify(value)} names no variable.`);
    // `-e NAME` passes the variable through; the container has the task's environment already.
    if (eq > 0) parsed.env[value.slice(0, eq)] = value.slice(eq + 1);
  },
  "--workdir": (parsed, value, option) => {
    if (!value.startsWith("/")) throw new ContainerRunOptionsError(`containerRunOptions: ${option} needs an absolute path, not ${JSON.stringify(value)}.`);
    parsed.workingDir = value;
  },
  "--user": (parsed, value, option) => {
    if (value === "") throw new ContainerRunOptionsError(`containerRunOptions: ${option} needs a user.`);
    parsed.user = value;
  },
  "--entrypoint": (parsed, value) => (parsed.entrypoint = value),
  "--label": (parsed, value, option) => {
    const eq = value.indexOf("=");
    const key = eq < 0 ? value : value.slice(0, eq);
    if (key === "" || key.startsWith("malachite.")) throw unsupported(`${option} ${value}`, "malachite.* labels are Malachite's own");
    parsed.labels[key] = eq < 0 ? "" : value.slice(eq + 1);
  },
  "--network": (_parsed, value, option) => {
    if (value !== "host") throw unsupported(`${option} ${value}`, "compute nodes use host networking");
  },
  "--name": (parsed, value) => {
    if (!/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(value)) {
      throw new ContainerRunOptionsError(`containerRunOptions: Invalid container name (${value}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed.`);
    }
    parsed.name = value.replace(/^\//, "");
  },
  "--volume": (parsed, value) => {
    const volume = volumeOf(value);
    if ("bind" in volume) parsed.binds.push(volume.bind);
    else parsed.engine.mounts.push({ type: "volume", target: volume.anonymous, readOnly: false });
  },
  "--mount": (parsed, value) => parsed.engine.mounts.push(mountOf(value)),
  "--tmpfs": (parsed, value) => {
    const colon = value.indexOf(":");
    const target = colon < 0 ? value : value.slice(0, colon);
    if (!target.startsWith("/")) throw new RunOptionValueError(`invalid mount path: '${target}' mount path must be absolute`);
    parsed.engine.tmpfs[target] = colon < 0 ? "" : value.slice(colon + 1);
  },
  "--shm-size": (parsed, value) => (parsed.engine.shmSizeBytes = bytesOf(value)),
  "--memory": (parsed, value) => (parsed.engine.memoryBytes = bytesOf(value)),
  "--memory-swap": (parsed, value) => (parsed.engine.memorySwapBytes = value === "-1" ? -1 : bytesOf(value)),
  "--memory-reservation": (parsed, value) => (parsed.engine.memoryReservationBytes = bytesOf(value)),
  "--cpus": (parsed, value) => (parsed.engine.nanoCpus = nanoCpusOf(value)),
  "--cpu-shares": (parsed, value, option) => (parsed.engine.cpuShares = integerOf(option, value)),
  "--cpuset-cpus": (parsed, value) => {
    if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(value)) throw new RunOptionValueError(`invalid value ${value} for cpuset cpus`);
    parsed.engine.cpusetCpus = value;
  },
  "--pids-limit": (parsed, value, option) => (parsed.engine.pidsLimit = integerOf(option, value, true)),
  "--ulimit": (parsed, value) => {
    const ulimit = ulimitOf(value);
    parsed.engine.ulimits = [...parsed.engine.ulimits.filter((known) => known.name !== ulimit.name), ulimit];
  },
  "--cap-add": (parsed, value) => parsed.engine.capAdd.push(...capabilities(value)),
  "--cap-drop": (parsed, value) => parsed.engine.capDrop.push(...capabilities(value)),
  "--gpus": (parsed, value) => (parsed.engine.gpus = gpusOf(value)),
  "--device": (parsed, value) => parsed.engine.devices.push(deviceOf(value)),
  "--ipc": (parsed, value, option) => {
    if (!["host", "private", "shareable", "none"].includes(value))
      throw unsupported(`${option} ${value}`, "other containers' namespaces are not shared with tasks");
    parsed.engine.ipcMode = value;
  },
  "--sysctl": (parsed, value) => {
    const eq = value.indexOf("=");
    if (eq <= 0) throw new RunOptionValueError(`sysctl '${value}' is not allowed: expected NAME=VALUE`);
    parsed.engine.sysctls[value.slice(0, eq)] = value.slice(eq + 1);
  },
};

const ALIASES: Record<string, string> = {
  "-e": "--env",
  "-w": "--workdir",
  "-u": "--user",
  "-l": "--label",
  "--net": "--network",
  "-v": "--volume",
  "-m": "--memory",
  "-c": "--cpu-shares",
};

/** Options Docker has that cannot work on Malachite's nodes, and why. */
const REFUSED: Record<string, string> = {
  "-p": "compute nodes use host networking, where the container's ports are the host's: there is nothing to publish",
  "--publish": "compute nodes use host networking, where the container's ports are the host's: there is nothing to publish",
  "-P": "compute nodes use host networking, where the container's ports are the host's: there is nothing to publish",
  "--publish-all": "compute nodes use host networking, where the container's ports are the host's: there is nothing to publish",
  "-h": "compute nodes use host networking, which has the host's name",
  "--hostname": "compute nodes use host networking, which has the host's name",
  "--restart": "a task's container runs once; Batch retries the task (maxTaskRetryCount) in a new container",
  "-t": "the task's output is read from the container's stdout and stderr, which a terminal would merge",
  "--tty": "the task's output is read from the container's stdout and stderr, which a terminal would merge",
  "-i": "a task has no standard input",
  "--interactive": "a task has no standard input",
  "-d": "not an option of docker create",
  "--detach": "not an option of docker create",
  "--volumes-from": "containers of other tasks are not shared with a task",
  "--pid": "other containers' and the host's processes are not shared with tasks",
};

function capabilities(value: string): string[] {
  return value.split(",").map((capability) => {
    const upper = capability.trim().toUpperCase();
    if (!/^[A-Z_]+$/.test(upper)) throw new RunOptionValueError(`invalid capability: ${capability}`);
    return upper === "ALL" || upper.startsWith("CAP_") ? upper : `CAP_${upper}`;
  });
}

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
  const short = word.slice(0, 2);
  if (word.length > 2 && ALIASES[short]) {
    const rest = word.slice(2);
    return { option: short, value: rest.startsWith("=") ? rest.slice(1) : rest };
  }
  return { option: word };
}

function emptyOptions(): ContainerRunOptions {
  return {
    env: {},
    labels: {},
    binds: [],
    engine: { mounts: [], tmpfs: {}, ulimits: [], capAdd: [], capDrop: [], privileged: false, readOnlyRootfs: false, sysctls: {}, devices: [] },
  };
}

export function parseContainerRunOptions(text: string | undefined): ContainerRunOptions {
  const parsed = emptyOptions();
  if (text === undefined || text.trim() === "") return parsed;
  let words: string[];
  try {
    words = splitCommandLine(text, "containerSettings.containerRunOptions");
  } catch (error) {
    throw new ContainerRunOptionsError(`containerRunOptions: ${isBatchError(error) ? error.message : String(error)}`);
  }
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const { option: given, value: inline } = optionAndValue(word);
    const option = ALIASES[given] ?? given;
    const flag = FLAGS[option];
    if (flag) {
      flag(parsed, flagValue(option, inline));
      continue;
    }
    const apply = WITH_VALUE[option];
    if (!apply) throw unsupported(word, REFUSED[given] ?? (word.startsWith("-") ? "" : "not an option"));
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= words.length) throw new ContainerRunOptionsError(`containerRunOptions: ${given} needs a value.`);
      value = words[++i] ?? "";
    }
    try {
      apply(parsed, value, given);
    } catch (error) {
      if (error instanceof RunOptionValueError) throw new ContainerRunOptionsError(`containerRunOptions: ${given} ${JSON.stringify(value)}: ${error.message}.`);
      throw error;
    }
  }
  return parsed;
}

/** `--privileged`, `--privileged=true`, `--privileged=false`. */
function flagValue(option: string, inline: string | undefined): boolean {
  if (inline === undefined || inline === "true") return true;
  if (inline === "false") return false;
  throw new ContainerRunOptionsError(`containerRunOptions: ${option} takes no value other than true or false, not ${JSON.stringify(inline)}.`);
}
