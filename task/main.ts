/**
 * The tutorial's top-N words task (python_tutorial_task.py), bundled to
 * dist/task/tutorial_task.js. Usage: see `usage()` in arguments.ts.
 */
import { realpath, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { isHelpRequested, parseArguments, usage, UsageError, type TaskArguments } from "./arguments.js";
import { countFile } from "./count-file.js";
import { batchTaskIdentity, formatOutput } from "./format-output.js";
import { outputFileName } from "./output-name.js";
import { uploadBlob } from "./upload-blob.js";

const prog = basename(process.argv[1] ?? "tutorial_task.js");

/** Keeps the SAS token (and any signature) out of error messages. */
function redact(message: string, sasToken: string): string {
  const withoutToken = sasToken === "" ? message : message.split(sasToken).join("<redacted>");
  return withoutToken.replace(/sig=[^&\s]*/gi, "sig=<redacted>");
}

async function runTask(args: TaskArguments): Promise<void> {
  const counter = await countFile(args.filepath);
  const outputFile = outputFileName(args.filepath);
  await writeFile(outputFile, formatOutput(counter.mostCommon(args.numwords), batchTaskIdentity(process.env)));
  const outputPath = await realpath(outputFile);
  process.stdout.write(`Uploading file ${outputPath} to container [${args.storagecontainer}]...\n`);
  const target = { blobEndpoint: args.blobEndpoint, container: args.storagecontainer, sasToken: args.sastoken };
  await uploadBlob(target, outputFile, outputPath);
}

async function main(argv: readonly string[]): Promise<number> {
  if (isHelpRequested(argv)) {
    process.stdout.write(usage(prog));
    return 0;
  }
  let args: TaskArguments;
  try {
    args = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${usage(prog)}${prog}: error: ${error.message}\n`);
    return 2;
  }
  try {
    await runTask(args);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${prog}: error: ${redact(message, args.sastoken)}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
