import { spawn, type ChildProcess } from "node:child_process";
import { mkdir } from "node:fs/promises";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { createLogger } from "../../../core/logger.js";

const log = createLogger("azurite");

/** Azurite's built-in account (AZT `src/blob/utils/constants.ts`); it is public, not a secret. */
export const AZURITE_ACCOUNT_NAME = "devstoreaccount1";
export const AZURITE_ACCOUNT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

const DEFAULT_START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const TAIL_CHARS = 4_000;
const LISTENS_PATTERN = /successfully listens on (https?):\/\/(\S+):(\d+)/;

export interface AzuriteProcessOptions {
  /** Address the blob service binds to; default `127.0.0.1`. */
  host?: string;
  /** Port to listen on; `0` (the default) lets the OS pick a free one. */
  port?: number;
  /** Persist blobs in this directory (created when missing); default: in memory only. */
  dataDir?: string;
  /** Pass `--silent` (no access log); default true. When false the access log goes to stderr. */
  silent?: boolean;
  /** Write Azurite's debug log to this file (`--debug <path>`). */
  debugLogPath?: string;
  /** How long to wait for the service to answer; default 30 s. */
  startTimeoutMs?: number;
}

/** Children still running, killed synchronously if the parent exits without stopping them. */
const liveChildren = new Set<ChildProcess>();

function killLiveChildrenOnExit(): void {
  for (const child of liveChildren) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  liveChildren.clear();
}

function track(child: ChildProcess): void {
  if (liveChildren.size === 0) process.on("exit", killLiveChildrenOnExit);
  liveChildren.add(child);
}

function untrack(child: ChildProcess): void {
  if (!liveChildren.delete(child)) return;
  if (liveChildren.size === 0) process.removeListener("exit", killLiveChildrenOnExit);
}

/**
 * Preloaded into the child: when the parent goes away for any reason (even SIGKILL, where no
 * "exit" hook runs) the stdin pipe reaches EOF, and Azurite is asked to shut down gracefully.
 */
const PARENT_WATCHDOG = [
  "const input = process.stdin;",
  "input.on('error', () => {});",
  "input.on('end', () => {",
  "  process.kill(process.pid, 'SIGTERM');",
  "  setTimeout(() => process.exit(1), 5000).unref();",
  "});",
  "input.resume();",
  "if (typeof input.unref === 'function') input.unref();",
].join("\n");
const PARENT_WATCHDOG_URL = `data:text/javascript,${encodeURIComponent(PARENT_WATCHDOG)}`;

let azuriteBlobMain: string | undefined;

/** The absolute path of azurite's `azurite-blob` entry point. */
export function resolveAzuriteBlobMain(): string {
  if (azuriteBlobMain) return azuriteBlobMain;
  const require = createRequire(import.meta.url);
  const packageJsonPath = require.resolve("azurite/package.json");
  const packageJson = require(packageJsonPath) as { bin?: Record<string, string> | string };
  const bin = typeof packageJson.bin === "object" ? packageJson.bin["azurite-blob"] : undefined;
  if (!bin) throw new Error(`The azurite package at ${path.dirname(packageJsonPath)} has no "azurite-blob" bin`);
  azuriteBlobMain = path.resolve(path.dirname(packageJsonPath), bin);
  return azuriteBlobMain;
}

/** Host part of a URL for an address: wildcard binds are reached through loopback, IPv6 is bracketed. */
function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "[::1]";
  if (host.includes(":") && !host.startsWith("[")) return `[${host}]`;
  return host;
}

function appendTail(tail: string, chunk: string): string {
  const joined = tail + chunk;
  return joined.length > TAIL_CHARS ? joined.slice(joined.length - TAIL_CHARS) : joined;
}

/** Resolves true when anything answers HTTP at the URL (any status counts). */
function probe(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: timeoutMs, agent: false }, (response) => {
      response.resume();
      resolve(true);
    });
    request.on("timeout", () => request.destroy(new Error("probe timed out")));
    request.on("error", () => resolve(false));
  });
}

/**
 * Azurite's blob service running as a child process of this one (Azurite has no importable API:
 * `require('azurite')` loads the VS Code extension). Start it with {@link AzuriteProcess.start},
 * release it with {@link AzuriteProcess.stop}. The child never outlives this process: a
 * `process.on("exit")` hook kills it synchronously, and if this process dies without running
 * hooks (a signal, SIGKILL) the child notices its stdin closing and shuts down by itself.
 * The child does not keep this process alive; whoever starts it is expected to `stop()` it.
 */
export class AzuriteProcess {
  readonly accountName = AZURITE_ACCOUNT_NAME;
  /** The address the service is bound to. */
  readonly host: string;
  /** The port the service listens on (the real one when 0 was asked for). */
  readonly port: number;
  readonly dataDir: string | undefined;
  /** How long the start took, in milliseconds. */
  readonly startDurationMs: number;

  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #hasExited = false;
  #stopping: Promise<void> | undefined;
  #stderrTail: () => string;

  private constructor(
    child: ChildProcess,
    exited: Promise<void>,
    host: string,
    port: number,
    dataDir: string | undefined,
    startDurationMs: number,
    stderrTail: () => string,
  ) {
    this.#child = child;
    this.#exited = exited.then(() => {
      this.#hasExited = true;
    });
    this.host = host;
    this.port = port;
    this.dataDir = dataDir;
    this.startDurationMs = startDurationMs;
    this.#stderrTail = stderrTail;
  }

  /** The well-known Azurite key (a getter, so it stays out of `util.inspect` output). */
  get accountKey(): string {
    return AZURITE_ACCOUNT_KEY;
  }

  /** The child's process id. */
  get pid(): number {
    return this.#child.pid!;
  }

  /** True once the child has exited (stopped, crashed or killed). */
  get exited(): boolean {
    return this.#hasExited;
  }

  /** Path-style account endpoint, e.g. `http://127.0.0.1:10000/devstoreaccount1` (no trailing slash). */
  get blobEndpoint(): string {
    return `http://${urlHost(this.host)}:${this.port}/${this.accountName}`;
  }

  get connectionString(): string {
    return (
      `DefaultEndpointsProtocol=http;AccountName=${this.accountName};AccountKey=${this.accountKey};` +
      `BlobEndpoint=${this.blobEndpoint};`
    );
  }

  /** The last few KB Azurite wrote to stderr (for diagnostics). */
  get stderrTail(): string {
    return this.#stderrTail();
  }

  static async start(options: AzuriteProcessOptions = {}): Promise<AzuriteProcess> {
    const host = options.host ?? "127.0.0.1";
    const requestedPort = options.port ?? 0;
    if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
      throw new Error(`Invalid Azurite port ${requestedPort}: expected an integer from 0 to 65535`);
    }
    const silent = options.silent ?? true;
    const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const dataDir = options.dataDir ? path.resolve(options.dataDir) : undefined;

    const args = [
      "--import",
      PARENT_WATCHDOG_URL,
      resolveAzuriteBlobMain(),
      "--blobHost",
      host,
      "--blobPort",
      String(requestedPort),
      "--disableTelemetry",
      "--skipApiVersionCheck",
      "--loose",
    ];
    if (dataDir) {
      await mkdir(dataDir, { recursive: true });
      args.push("--location", dataDir);
    } else {
      args.push("--inMemoryPersistence");
    }
    if (silent) args.push("--silent");
    if (options.debugLogPath) args.push("--debug", path.resolve(options.debugLogPath));

    // AZURITE_ACCOUNTS would replace the well-known account this class advertises.
    const env = { ...process.env };
    delete env.AZURITE_ACCOUNTS;

    const began = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: dataDir ?? os.tmpdir(),
      env,
      // stdin stays open and unused: its EOF tells the child that this process is gone.
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    track(child);

    let stdoutTail = "";
    let stderrTail = "";
    let stdoutLine = "";
    child.stdin!.on("error", () => {});
    child.stdout!.setEncoding("utf8");
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      stderrTail = appendTail(stderrTail, chunk);
      if (!silent) process.stderr.write(chunk);
    });

    const exited = new Promise<void>((resolve) => {
      child.once("exit", () => {
        untrack(child);
        resolve();
      });
      // A spawn that failed outright never emits "exit".
      child.once("error", () => {
        if (child.pid === undefined) {
          untrack(child);
          resolve();
        }
      });
    });

    const tails = (): string => {
      const parts: string[] = [];
      if (stderrTail.trim()) parts.push(`stderr:\n${stderrTail.trim()}`);
      if (stdoutTail.trim()) parts.push(`stdout:\n${stdoutTail.trim()}`);
      return parts.length > 0 ? `\n${parts.join("\n")}` : " (no output)";
    };

    let settled = false;
    let listening: { port: number } | undefined;
    const ready = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        fail(new Error(`Azurite did not start within ${Math.round(timeoutMs / 1000)} s on ${host}:${requestedPort}.${tails()}`));
      }, timeoutMs);

      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      };
      const succeed = (port: number): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(port);
      };

      child.once("error", (error) => fail(new Error(`Could not start Azurite (${process.execPath}): ${error.message}`)));
      // "close" (not "exit") so that all of its stderr has been read.
      child.once("close", (code, signal) => {
        const output = stderrTail + stdoutTail;
        if (/EADDRINUSE/.test(output)) {
          fail(new Error(`Azurite could not listen on ${host}:${requestedPort}: the port is already in use.`));
        } else if (/EADDRNOTAVAIL/.test(output)) {
          fail(new Error(`Azurite could not listen on ${host}:${requestedPort}: the address is not available on this machine.`));
        } else {
          fail(new Error(`Azurite exited before it was ready (${signal ? `signal ${signal}` : `exit code ${code}`}).${tails()}`));
        }
      });

      child.stdout!.on("data", (chunk: string) => {
        stdoutTail = appendTail(stdoutTail, chunk);
        if (!silent) process.stderr.write(chunk);
        if (listening) return;
        stdoutLine += chunk;
        const match = LISTENS_PATTERN.exec(stdoutLine);
        if (match) {
          listening = { port: Number(match[3]) };
          stdoutLine = "";
          void confirm(listening.port);
        } else if (stdoutLine.length > TAIL_CHARS) {
          stdoutLine = stdoutLine.slice(-TAIL_CHARS);
        }
      });

      // The "listens" line comes after listen() succeeded; one HTTP answer confirms it serves.
      const confirm = async (port: number): Promise<void> => {
        const url = `http://${urlHost(host)}:${port}/${AZURITE_ACCOUNT_NAME}?comp=list`;
        while (!settled) {
          if (await probe(url, 2_000)) return succeed(port);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
    });

    let port: number;
    try {
      port = await ready;
    } catch (error) {
      await AzuriteProcess.#kill(child, exited);
      throw error;
    }

    // Keep consuming output (so the pipes never fill) without keeping the parent alive.
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    (child.stderr as unknown as { unref?: () => void }).unref?.();

    const startDurationMs = Math.round(performance.now() - began);
    log.debug("Azurite started", { pid: child.pid, host, port, dataDir: dataDir ?? "(in memory)", startDurationMs });
    return new AzuriteProcess(child, exited, host, port, dataDir, startDurationMs, () => stderrTail);
  }

  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. Safe to call again. */
  stop(): Promise<void> {
    if (!this.#stopping) {
      this.#stopping = AzuriteProcess.#kill(this.#child, this.#exited).then(() => {
        log.debug("Azurite stopped", { pid: this.#child.pid, port: this.port });
      });
    }
    return this.#stopping;
  }

  static async #kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
      untrack(child);
      return;
    }
    child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const escalate = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve();
      }, STOP_GRACE_MS);
    });
    await Promise.race([exited, escalate]);
    clearTimeout(timer);
    await exited;
    untrack(child);
  }
}
