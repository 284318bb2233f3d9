/**
 * The values of `docker create` options as Docker's CLI reads them: sizes (`64m`, `1g`), CPU
 * counts, `--mount` and `--gpus` field lists, `-v` specs, `--ulimit`. Pure functions; a value
 * that Docker would refuse throws RunOptionValueError with Docker's wording where it has one.
 */
import path from "node:path";
import type { TaskContainerGpuRequest, TaskContainerMount, TaskContainerUlimit } from "../docker/node-runtime.js";

export class RunOptionValueError extends Error {
  override name = "RunOptionValueError";
}

const SIZE_UNITS: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** Docker's `RAMInBytes`: a number with an optional binary unit (`512`, `64m`, `1.5g`, `2GiB`, `100 MB`). */
export function bytesOf(value: string): number {
  const match = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i.exec(value);
  if (!match) throw new RunOptionValueError(`invalid size: '${value}'`);
  return Math.floor(Number(match[1]) * (SIZE_UNITS[(match[2] ?? "").toLowerCase()] as number));
}

/** `--cpus 1.5` as Docker's NanoCpus. */
export function nanoCpusOf(value: string): number {
  if (!/^\d+(?:\.\d+)?$|^\.\d+$/.test(value))
    throw new RunOptionValueError(`invalid argument "${value}" for "--cpus": failed to parse ${value} as a rational number`);
  const nano = Math.round(Number(value) * 1e9);
  if (nano === 0 && Number(value) !== 0) throw new RunOptionValueError(`invalid argument "${value}" for "--cpus": value is too precise`);
  return nano;
}

/** A whole number (`--cpu-shares`, `--pids-limit`); `allowNegativeOne` for Docker's "unlimited". */
export function integerOf(option: string, value: string, allowNegativeOne = false): number {
  if (!/^-?\d+$/.test(value) || (value.startsWith("-") && !(allowNegativeOne && value === "-1"))) {
    throw new RunOptionValueError(`invalid argument "${value}" for "${option}": not a valid whole number`);
  }
  return Number(value);
}

/** Fields of a comma-separated value as Go's encoding/csv reads them (`"device=0,1",driver=nvidia`). */
export function csvFields(value: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (quoted) {
      if (c === '"' && value[i + 1] === '"') field += value[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else field += c;
  }
  if (quoted) throw new RunOptionValueError(`unterminated quote in ${JSON.stringify(value)}`);
  fields.push(field);
  return fields;
}

function keyValue(field: string): [string, string | undefined] {
  const eq = field.indexOf("=");
  return eq < 0 ? [field.trim().toLowerCase(), undefined] : [field.slice(0, eq).trim().toLowerCase(), field.slice(eq + 1)];
}

function booleanOf(key: string, value: string | undefined): boolean {
  if (value === undefined) return true;
  const lower = value.toLowerCase();
  if (["1", "true"].includes(lower)) return true;
  if (["0", "false"].includes(lower)) return false;
  throw new RunOptionValueError(`invalid value for ${key}: ${value}`);
}

function absolute(what: string, value: string): string {
  if (!path.posix.isAbsolute(value)) throw new RunOptionValueError(`invalid ${what} path: '${value}' mount path must be absolute`);
  return value;
}

const PROPAGATIONS = ["private", "rprivate", "shared", "rshared", "slave", "rslave"];

/** `--mount type=bind,source=/a,target=/b,readonly`; `type=tmpfs,target=/t,tmpfs-size=64m`; an anonymous `type=volume,target=/v`. */
export function mountOf(value: string): TaskContainerMount {
  let type = "volume";
  let source: string | undefined;
  let target: string | undefined;
  let readOnly = false;
  let propagation: string | undefined;
  let tmpfsSizeBytes: number | undefined;
  let tmpfsMode: number | undefined;
  for (const field of csvFields(value)) {
    const [key, fieldValue] = keyValue(field);
    if (key === "readonly" || key === "ro") {
      readOnly = booleanOf(key, fieldValue);
      continue;
    }
    if (fieldValue === undefined) throw new RunOptionValueError(`invalid field '${field}' must be a key=value pair`);
    switch (key) {
      case "type":
        type = fieldValue.toLowerCase();
        break;
      case "source":
      case "src":
        source = fieldValue;
        break;
      case "target":
      case "destination":
      case "dst":
        target = fieldValue;
        break;
      case "bind-propagation":
        if (!PROPAGATIONS.includes(fieldValue)) throw new RunOptionValueError(`invalid bind-propagation: ${fieldValue}`);
        propagation = fieldValue;
        break;
      case "tmpfs-size":
        tmpfsSizeBytes = bytesOf(fieldValue);
        break;
      case "tmpfs-mode":
        if (!/^[0-7]+$/.test(fieldValue)) throw new RunOptionValueError(`invalid tmpfs-mode: ${fieldValue}`);
        tmpfsMode = parseInt(fieldValue, 8);
        break;
      case "consistency":
        break;
      default:
        throw new RunOptionValueError(`unsupported --mount field '${key}'`);
    }
  }
  if (target === undefined) throw new RunOptionValueError("target is required");
  absolute("mount target", target);
  if (type === "bind") {
    if (source === undefined) throw new RunOptionValueError("source is required when specifying bind mounts");
    return { type, source: absolute("bind source", source), target, readOnly, ...(propagation ? { propagation } : {}) };
  }
  if (type === "tmpfs") {
    if (source !== undefined) throw new RunOptionValueError("source is not supported for tmpfs mounts");
    return { type, target, readOnly, ...(tmpfsSizeBytes !== undefined ? { tmpfsSizeBytes } : {}), ...(tmpfsMode !== undefined ? { tmpfsMode } : {}) };
  }
  if (type === "volume") {
    if (source !== undefined) throw new NamedVolumeError(source);
    return { type, target, readOnly };
  }
  throw new RunOptionValueError(`mount type '${type}' is not supported (bind, tmpfs or an anonymous volume)`);
}

/** A named volume: it would outlive the node on the engine Malachite shares between nodes. */
export class NamedVolumeError extends RunOptionValueError {
  constructor(readonly volume: string) {
    super(`named volume '${volume}': Malachite's nodes share one Docker engine, where a named volume would outlive the node; bind a host path instead`);
  }
}

const VOLUME_MODES = new Set([
  "ro",
  "rw",
  "z",
  "Z",
  "shared",
  "rshared",
  "slave",
  "rslave",
  "private",
  "rprivate",
  "nocopy",
  "delegated",
  "cached",
  "consistent",
]);

/** `-v HOST:CONTAINER[:MODES]` as a bind, or `-v CONTAINER` as an anonymous volume. */
export function volumeOf(value: string): { bind: { source: string; target: string; modes: string[] } } | { anonymous: string } {
  const parts = value.split(":");
  if (parts.length === 1) return { anonymous: absolute("volume", value) };
  if (parts.length > 3) throw new RunOptionValueError(`invalid volume specification: '${value}'`);
  const [source = "", target = "", modeText] = parts;
  const modes = modeText === undefined ? [] : modeText.split(",");
  for (const mode of modes) if (!VOLUME_MODES.has(mode)) throw new RunOptionValueError(`invalid mode: ${mode}`);
  if (!source.startsWith("/")) throw new NamedVolumeError(source);
  return { bind: { source, target: absolute("volume", target), modes } };
}

const ULIMITS = ["core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack"];

/** `--ulimit nofile=1024:2048` (hard = soft when absent; -1 is unlimited). */
export function ulimitOf(value: string): TaskContainerUlimit {
  const eq = value.indexOf("=");
  if (eq < 0) throw new RunOptionValueError(`invalid ulimit argument: ${value}`);
  const name = value.slice(0, eq);
  if (!ULIMITS.includes(name)) throw new RunOptionValueError(`invalid ulimit type: ${name}`);
  const limits = value.slice(eq + 1).split(":");
  if (limits.length > 2 || limits.some((limit) => !/^-?\d+$/.test(limit))) throw new RunOptionValueError(`invalid ulimit argument: ${value}`);
  const soft = Number(limits[0]);
  const hard = limits.length === 2 ? Number(limits[1]) : soft;
  if (soft > hard && hard !== -1) throw new RunOptionValueError(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`);
  return { name, soft, hard };
}

/** `--gpus all`, `--gpus 2`, `--gpus '"device=0,1",capabilities=compute'`. */
export function gpusOf(value: string): TaskContainerGpuRequest {
  if (value === "all") return { count: -1, capabilities: ["gpu"] };
  if (/^\d+$/.test(value)) return { count: Number(value), capabilities: ["gpu"] };
  const request: TaskContainerGpuRequest = { capabilities: ["gpu"] };
  for (const field of csvFields(value)) {
    const [key, fieldValue] = keyValue(field);
    if (fieldValue === undefined) throw new RunOptionValueError(`invalid --gpus field '${field}'`);
    if (key === "count") request.count = fieldValue === "all" ? -1 : integerOf("--gpus count", fieldValue);
    else if (key === "device") request.deviceIds = fieldValue.split(",");
    else if (key === "driver") request.driver = fieldValue;
    else if (key === "capabilities") request.capabilities = [...new Set(["gpu", ...fieldValue.split(",")])];
    else throw new RunOptionValueError(`unexpected key '${key}' in '${field}'`);
  }
  if (request.count !== undefined && request.deviceIds) throw new RunOptionValueError("cannot set both Count and DeviceIDs on device request");
  return request;
}

/** `--device /dev/x[:/dev/y[:rwm]]`. */
export function deviceOf(value: string): { host: string; container: string; permissions: string } {
  const [host = "", second, third] = value.split(":");
  absolute("device", host);
  if (second !== undefined && /^[rwm]+$/.test(second) && third === undefined) return { host, container: host, permissions: second };
  const container = second === undefined ? host : absolute("device", second);
  const permissions = third ?? "rwm";
  if (!/^[rwm]+$/.test(permissions)) throw new RunOptionValueError(`invalid device mode: ${permissions}`);
  return { host, container, permissions };
}
