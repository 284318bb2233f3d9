/**
 * Waiting for a starting Azurite child to serve: its stdout announces the port it listens on, and
 * one HTTP answer on that port confirms it; the child exiting, failing to spawn or a timeout ends the wait.
 */
import type { ChildProcess } from "node:child_process";
import http from "node:http";
import type { Readable } from "node:stream";
import { azuriteBlobEndpoint } from "./azurite-endpoint.js";
import { OUTPUT_TAIL_CHARS, type AzuriteOutput } from "./azurite-output.js";

const LISTENS_PATTERN = /successfully listens on (https?):\/\/(\S+):(\d+)/;
const PROBE_TIMEOUT_MS = 2_000;
const PROBE_INTERVAL_MS = 50;

export interface ReadinessTarget {
  host: string;
  /** The port asked for (0 for any), as named in error messages. */
  requestedPort: number;
  timeoutMs: number;
}

/** Resolves with the port Azurite serves on; rejects with an explanatory error when it cannot start. */
export function waitUntilReady(child: ChildProcess, output: AzuriteOutput, target: ReadinessTarget): Promise<number> {
  const { host, requestedPort, timeoutMs } = target;
  let settled = false;
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      fail(new Error(`Azurite did not start within ${Math.round(timeoutMs / 1000)} s on ${host}:${requestedPort}.${output.describe()}`));
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
    child.once("close", (code, signal) => fail(exitedEarlyError(output, target, code, signal)));

    // The "listens" line comes after listen() succeeded; one HTTP answer confirms it serves.
    onListensLine(child.stdout!, async (port) => {
      const url = `${azuriteBlobEndpoint(host, port)}?comp=list`;
      while (!settled) {
        if (await probe(url, PROBE_TIMEOUT_MS)) return succeed(port);
        await new Promise((r) => setTimeout(r, PROBE_INTERVAL_MS));
      }
    });
  });
}

function exitedEarlyError(output: AzuriteOutput, target: ReadinessTarget, code: number | null, signal: NodeJS.Signals | null): Error {
  const where = `${target.host}:${target.requestedPort}`;
  const text = output.stderrTail + output.stdoutTail;
  if (/EADDRINUSE/.test(text)) return new Error(`Azurite could not listen on ${where}: the port is already in use.`);
  if (/EADDRNOTAVAIL/.test(text)) return new Error(`Azurite could not listen on ${where}: the address is not available on this machine.`);
  return new Error(`Azurite exited before it was ready (${signal ? `signal ${signal}` : `exit code ${code}`}).${output.describe()}`);
}

/** Calls `onListening` once, with the port of the first "successfully listens on" line. */
function onListensLine(stdout: Readable, onListening: (port: number) => Promise<void>): void {
  let found = false;
  let pending = "";
  stdout.on("data", (chunk: string) => {
    if (found) return;
    pending += chunk;
    const match = LISTENS_PATTERN.exec(pending);
    if (match) {
      found = true;
      pending = "";
      void onListening(Number(match[3]));
    } else if (pending.length > OUTPUT_TAIL_CHARS) {
      pending = pending.slice(-OUTPUT_TAIL_CHARS);
    }
  });
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
