import { spawn, type ChildProcess } from "node:child_process";
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createLogger } from "../../../core/logger.js";
import { detachFromEventLoop, stopChild, superviseChild } from "./azurite-child-lifetime.js";
import { azuriteEnvironment, azuriteNodeArguments } from "./azurite-command-line.js";
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME, azuriteBlobEndpoint } from "./azurite-endpoint.js";
import { AzuriteOutput } from "./azurite-output.js";
import { waitUntilReady } from "./azurite-readiness.js";

export { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from "./azurite-endpoint.js";
export { resolveAzuriteBlobMain } from "./azurite-command-line.js";

const log = createLogger("azurite");

const DEFAULT_START_TIMEOUT_MS = 30_000;

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

/**
 * Azurite's blob service running as a child process of this one (Azurite has no importable API:
 * `require('azurite')` loads the VS Code extension). Start it with {@link AzuriteProcess.start},
 * release it with {@link AzuriteProcess.stop}. The child never outlives this process: a
 * `process.on("exit")` hook kills it synchronously, and if this process dies without running
 * hooks (a signal, SIGKILL) the child notices its stdin closing and shuts down by itself
 * (see `azurite-child-lifetime.ts`).
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
  readonly #output: AzuriteOutput;

  private constructor(
    child: ChildProcess,
    exited: Promise<void>,
    host: string,
    port: number,
    dataDir: string | undefined,
    startDurationMs: number,
    output: AzuriteOutput,
  ) {
    this.#child = child;
    this.#exited = exited.then(() => {
      this.#hasExited = true;
    });
    this.host = host;
    this.port = port;
    this.dataDir = dataDir;
    this.startDurationMs = startDurationMs;
    this.#output = output;
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
    return azuriteBlobEndpoint(this.host, this.port);
  }

  get connectionString(): string {
    return `DefaultEndpointsProtocol=http;AccountName=${this.accountName};AccountKey=${this.accountKey};` + `BlobEndpoint=${this.blobEndpoint};`;
  }

  /** The last few KB Azurite wrote to stderr (for diagnostics). */
  get stderrTail(): string {
    return this.#output.stderrTail;
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

    const args = azuriteNodeArguments({ host, port: requestedPort, dataDir, silent, debugLogPath: options.debugLogPath });
    if (dataDir) await mkdir(dataDir, { recursive: true });

    const began = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: dataDir ?? os.tmpdir(),
      env: azuriteEnvironment(),
      // stdin stays open and unused: its EOF tells the child that this process is gone.
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    const exited = superviseChild(child);
    const output = new AzuriteOutput(child, silent);

    let port: number;
    try {
      port = await waitUntilReady(child, output, { host, requestedPort, timeoutMs });
    } catch (error) {
      await stopChild(child, exited);
      throw error;
    }
    detachFromEventLoop(child);

    const startDurationMs = Math.round(performance.now() - began);
    log.debug("Azurite started", { pid: child.pid, host, port, dataDir: dataDir ?? "(in memory)", startDurationMs });
    return new AzuriteProcess(child, exited, host, port, dataDir, startDurationMs, output);
  }

  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. Safe to call again. */
  stop(): Promise<void> {
    if (!this.#stopping) {
      this.#stopping = stopChild(this.#child, this.#exited).then(() => {
        log.debug("Azurite stopped", { pid: this.#child.pid, port: this.port });
      });
    }
    return this.#stopping;
  }
}
