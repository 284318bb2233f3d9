/** The task's command line: the original's five required arguments plus `--blobendpoint`. */
export interface TaskArguments {
  readonly filepath: string;
  readonly numwords: number;
  readonly storageaccount: string;
  readonly storagecontainer: string;
  /** The container SAS token, without a leading `?`. */
  readonly sastoken: string;
  /** The blob service endpoint, without a trailing `/`. */
  readonly blobEndpoint: string;
}

/** A command-line error: print the usage and exit with code 2, as argparse does. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

const REQUIRED = ["--filepath", "--numwords", "--storageaccount", "--storagecontainer", "--sastoken"];
const OPTIONS = [...REQUIRED, "--blobendpoint"];
/** argparse takes a value starting with `-` only if it looks like a negative number. */
const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;
/** What Python's `int()` accepts (ASCII digits; underscores between digits). */
const PYTHON_INT = /^[+-]?\d+(?:_\d+)*$/;

export function usage(prog: string): string {
  return (
    `usage: ${prog} [-h] --filepath FILEPATH --numwords NUMWORDS --storageaccount STORAGEACCOUNT` +
    ` --storagecontainer STORAGECONTAINER --sastoken SASTOKEN [--blobendpoint URL]\n`
  );
}

export function isHelpRequested(argv: readonly string[]): boolean {
  return argv.includes("-h") || argv.includes("--help");
}

function collectOptions(argv: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  const unrecognized: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const equals = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    if (!OPTIONS.includes(name)) {
      unrecognized.push(arg);
      continue;
    }
    const value = equals > 0 ? arg.slice(equals + 1) : argv[i + 1];
    if (equals < 0) {
      if (value === undefined || (value.startsWith("-") && !NEGATIVE_NUMBER.test(value))) {
        throw new UsageError(`argument ${name}: expected one argument`);
      }
      i++;
    }
    values.set(name, value!);
  }
  const missing = REQUIRED.filter((name) => !values.has(name));
  if (missing.length > 0) throw new UsageError(`the following arguments are required: ${missing.join(", ")}`);
  if (unrecognized.length > 0) throw new UsageError(`unrecognized arguments: ${unrecognized.join(" ")}`);
  return values;
}

function parseNumwords(value: string): number {
  const trimmed = value.trim();
  if (!PYTHON_INT.test(trimmed)) throw new UsageError(`argument --numwords: invalid int value: '${value}'`);
  return Number(trimmed.replaceAll("_", ""));
}

function parseEndpoint(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`argument --blobendpoint: invalid URL: '${value}'`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.search !== "" || url.hash !== "") {
    throw new UsageError(`argument --blobendpoint: expected an http(s) URL without query: '${value}'`);
  }
  return value.replace(/\/+$/, "");
}

/** Parses the arguments (without `node` and the script); throws UsageError. */
export function parseArguments(argv: readonly string[]): TaskArguments {
  const values = collectOptions(argv);
  const storageaccount = values.get("--storageaccount")!;
  const endpoint = values.get("--blobendpoint");
  return {
    filepath: values.get("--filepath")!,
    numwords: parseNumwords(values.get("--numwords")!),
    storageaccount,
    storagecontainer: values.get("--storagecontainer")!,
    sastoken: values.get("--sastoken")!.replace(/^\?/, ""),
    blobEndpoint: endpoint === undefined ? `https://${storageaccount}.blob.core.windows.net` : parseEndpoint(endpoint),
  };
}
