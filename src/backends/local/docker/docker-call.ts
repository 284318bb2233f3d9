/**
 * The one place where calls into dockerode are logged and their errors translated: every
 * Docker call of the local backend goes through `dockerCall`.
 */
import type Dockerode from "dockerode";
import type { Logger } from "../../../core/logger.js";

/** What an error from dockerode / docker-modem may carry. */
interface DockerErrorShape {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
}

export function dockerStatusCode(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const status = (error as DockerErrorShape).statusCode;
  return typeof status === "number" ? status : undefined;
}

/** The engine's own message (`No such image: ...`), without docker-modem's `(HTTP code …)` prefix. */
export function dockerErrorMessage(error: unknown): string {
  if (typeof error !== "object" || error === null) return String(error);
  const e = error as DockerErrorShape;
  return e.json?.message ?? e.message ?? e.reason ?? "unknown Docker error";
}

/** Where the client talks to the engine: the socket path or the `tcp://host:port`. */
export function dockerEndpoint(docker: Dockerode): string {
  const modem = docker.modem as unknown as { socketPath?: unknown; host?: string; port?: number | string; protocol?: string };
  if (typeof modem.socketPath === "string") return modem.socketPath;
  if (modem.host) return `${modem.protocol ?? "http"}://${modem.host}${modem.port ? `:${modem.port}` : ""}`;
  return "/var/run/docker.sock";
}

const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOENT", "EHOSTUNREACH", "ETIMEDOUT"]);

/** Turns socket-level failures into an Error that says what to do; other errors are returned as is. */
export function translateDockerError(docker: Dockerode, error: unknown): unknown {
  if (typeof error !== "object" || error === null) return error;
  const code = (error as DockerErrorShape).code;
  if (code === undefined || dockerStatusCode(error) !== undefined) return error;
  const endpoint = dockerEndpoint(docker);
  if (UNREACHABLE_CODES.has(code)) {
    return new Error(`Docker engine not reachable at ${endpoint} (${code}); start one (sh docker/prepare-host.sh) or set DOCKER_HOST`, { cause: error });
  }
  if (code === "EACCES") {
    return new Error(`Permission denied on the Docker engine socket ${endpoint}; run as root or join the docker group`, {
      cause: error,
    });
  }
  return error;
}

export interface DockerCallOptions {
  /** HTTP status codes that are not errors here (e.g. 404 on remove); the call then yields undefined. */
  tolerate?: readonly number[];
}

/**
 * Runs one dockerode call: logs it at debug level, tolerates the given benign status codes,
 * translates "engine not reachable" errors, logs and rethrows the rest.
 */
export async function dockerCall<T>(docker: Dockerode, log: Logger, what: string, context: Record<string, unknown>, call: () => Promise<T>): Promise<T>;
export async function dockerCall<T>(
  docker: Dockerode,
  log: Logger,
  what: string,
  context: Record<string, unknown>,
  call: () => Promise<T>,
  options: DockerCallOptions,
): Promise<T | undefined>;
export async function dockerCall<T>(
  docker: Dockerode,
  log: Logger,
  what: string,
  context: Record<string, unknown>,
  call: () => Promise<T>,
  options: DockerCallOptions = {},
): Promise<T | undefined> {
  log.debug(`${what}...`, context);
  try {
    const result = await call();
    log.debug(`${what}: done`, context);
    return result;
  } catch (error) {
    const status = dockerStatusCode(error);
    if (status !== undefined && options.tolerate?.includes(status)) {
      log.debug(`${what}: tolerated ${status}`, { ...context, message: dockerErrorMessage(error) });
      return undefined;
    }
    const translated = translateDockerError(docker, error);
    log.debug(`${what}: failed`, { ...context, status, message: dockerErrorMessage(translated) });
    throw translated;
  }
}
