/**
 * Runs a Python script written against Debian's python3-azure (azure-batch 13.0.1, api-version
 * 2022-10-01.16.0) as a user would write it, against a Malachite endpoint given in its environment.
 * The script prints a JSON summary on the last line of stdout; tests assert on it.
 */
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Debian's interpreter: python3-azure is installed for it, not for a pyenv python3 on PATH. */
export const PYTHON = "/usr/bin/python3";

/** Where test/support/python/malachite_client.py lives, put on PYTHONPATH for every script. */
const SUPPORT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "python");

export const IN_CI = ["true", "1"].includes((process.env.CI ?? "").toLowerCase());

/** Why the Python client cannot run here, or undefined when it can. */
export function missingPythonClient(): string | undefined {
  const probe = spawnSync(PYTHON, ["-c", "import azure.batch, azure.storage.blob"], { encoding: "utf8", timeout: 60_000 });
  if (probe.error) return `${PYTHON} is not available (${probe.error.message}); install python3-azure`;
  if (probe.status !== 0) return `${PYTHON} cannot import azure.batch / azure.storage.blob; install python3-azure (${probe.stderr.trim().split("\n").pop()})`;
  return undefined;
}

/** An environment that reaches only loopback: any other HTTP(S) request goes to a closed local port. */
export function loopbackOnlyEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(PYTHON|PYENV|VIRTUAL_ENV$)|proxy$/i.test(name)) continue;
    env[name] = value;
  }
  const deadProxy = "http://127.0.0.1:9";
  Object.assign(env, { HTTP_PROXY: deadProxy, HTTPS_PROXY: deadProxy, http_proxy: deadProxy, https_proxy: deadProxy });
  Object.assign(env, { NO_PROXY: "127.0.0.1,localhost", no_proxy: "127.0.0.1,localhost", PYTHONDONTWRITEBYTECODE: "1", PYTHONPATH: SUPPORT_DIR });
  return { ...env, ...extra };
}

export interface PythonRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runPython(script: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<PythonRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [script], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The account a script signs its requests for. */
export interface PythonTarget {
  batchUrl: string;
  batchAccountName: string;
  batchAccountKey: string;
}

/**
 * Runs `script` against `target` (MALACHITE_BATCH_URL/ACCOUNT/KEY, plus `extra`) and returns the
 * JSON summary of its last stdout line; fails with its output when there is none, or when the
 * summary carries an `error` (scripts report exceptions there rather than as a traceback).
 */
export async function runPythonSummary<T>(script: string, target: PythonTarget, extra: Record<string, string> = {}, timeoutMs = 120_000): Promise<T> {
  const env = loopbackOnlyEnv({
    MALACHITE_BATCH_URL: target.batchUrl,
    MALACHITE_BATCH_ACCOUNT: target.batchAccountName,
    MALACHITE_BATCH_KEY: target.batchAccountKey,
    ...extra,
  });
  const run = await runPython(script, env, timeoutMs);
  const lastLine = run.stdout.trim().split("\n").pop() ?? "";
  let summary: T & { error?: unknown };
  try {
    summary = JSON.parse(lastLine) as T & { error?: unknown };
  } catch {
    throw new Error(`${path.basename(script)} exited ${run.code} without a JSON summary\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
  if (summary.error !== undefined) throw new Error(`${path.basename(script)} failed: ${JSON.stringify(summary.error)}\nstderr:\n${run.stderr}`);
  if (run.code !== 0) throw new Error(`${path.basename(script)} exited ${run.code}\nstderr:\n${run.stderr}`);
  return summary;
}
