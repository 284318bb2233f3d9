import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { writeLargeVocabulary, writeSmallVocabulary } from "./task-program-inputs.js";

/** The reference: the original task's algorithm (str.split, strip, collections.Counter), then its peak RSS. */
const PYTHON_REFERENCE = String.raw`
import collections, os, resource, string, sys
with open(sys.argv[1], encoding='utf-8') as f:
    words = [word.strip(string.punctuation) for word in f.read().split()]
word_counts = collections.Counter(words)
with open(sys.argv[2], "w", encoding='utf-8') as text_file:
    print('Word\tCount', file=text_file)
    print("------------------------------", file=text_file)
    for word, count in word_counts.most_common(int(sys.argv[3])):
        print(word + ':\t' + str(count), file=text_file)
    print("------------------------------", file=text_file)
    print("Node: " + os.environ['AZ_BATCH_NODE_ID'], file=text_file)
    print("Task: " + os.environ['AZ_BATCH_TASK_ID'], file=text_file)
    print("Job:  " + os.environ['AZ_BATCH_JOB_ID'], file=text_file)
    print("Pool: " + os.environ['AZ_BATCH_POOL_ID'], file=text_file)
sys.stderr.write("PEAK_RSS %d\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
`;
const NUMWORDS = "10";
const ENV = { AZ_BATCH_NODE_ID: "bench-node", AZ_BATCH_TASK_ID: "bench-task", AZ_BATCH_JOB_ID: "bench-job", AZ_BATCH_POOL_ID: "bench-pool" };

interface Run {
  /** Peak resident set size, MiB. */
  peakMib: number;
  seconds: number;
}

/** Runs a command to its end; wall time and the peak RSS it reports on stderr (`PEAK_RSS <KiB>`). */
async function timed(command: string, args: string[], cwd: string): Promise<Run> {
  const started = performance.now();
  const child = spawn(command, args, { cwd, env: { ...process.env, ...ENV }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, "close")) as [number];
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${command} exited ${code}: ${stderr}`);
  return { peakMib: Number(/PEAK_RSS (\d+)/.exec(stderr)?.[1]) / 1024, seconds };
}

function best(runs: Run[]): Run {
  return { peakMib: Math.min(...runs.map((r) => r.peakMib)), seconds: Math.min(...runs.map((r) => r.seconds)) };
}

/** Runs the bundled task program and the Python reference on the same inputs (loopback blob server for the upload). */
class TaskProgramBench {
  private readonly probe: string;

  constructor(
    private readonly bundle: string,
    private readonly dir: string,
    private readonly blobEndpoint: string,
    private readonly runs: number,
  ) {
    this.probe = path.join(dir, "peak-rss.cjs");
    writeFileSync(this.probe, `process.on("exit", () => require("fs").writeSync(2, "PEAK_RSS " + process.resourceUsage().maxRSS + "\\n"));`);
  }

  async ours(input: string): Promise<Run> {
    const args = ["-r", this.probe, this.bundle, "--filepath", path.basename(input), "--numwords", NUMWORDS];
    args.push("--storageaccount", "bench", "--storagecontainer", "out", "--sastoken", "sig=bench", "--blobendpoint", this.blobEndpoint);
    const runs: Run[] = [];
    for (let i = 0; i < this.runs; i++) runs.push(await timed(process.execPath, args, this.dir));
    return best(runs);
  }

  /** The reference's runs; its output file must equal ours byte for byte. */
  async python(input: string): Promise<Run> {
    const output = path.join(this.dir, "python_OUTPUT.txt");
    const runs: Run[] = [];
    for (let i = 0; i < this.runs; i++) runs.push(await timed("python3", ["-c", PYTHON_REFERENCE, input, output, NUMWORDS], this.dir));
    const ours = input.replace(/\.txt$/, "_OUTPUT.txt");
    if (!readFileSync(ours).equals(readFileSync(output))) throw new Error(`the task program's ${ours} differs from the Python reference's output`);
    return best(runs);
  }
}

function line(label: string, mebibytes: number, run: Run): string {
  return `${label.padEnd(22)} ${(mebibytes / run.seconds).toFixed(1).padStart(6)} MiB/s   peak RSS ${run.peakMib.toFixed(0).padStart(5)} MiB`;
}

/**
 * The task program next to the Python reference on the same generated 100 MiB files (a small
 * vocabulary, and about 8 million distinct words), then its peak memory on 400 MiB of the small
 * vocabulary. Best of `runs` runs each. Returns the lines to print.
 */
export async function taskProgramVersusPython(bundle: string, runs = 1): Promise<string[]> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(201).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const dir = mkdtempSync(path.join(os.tmpdir(), "malachite-bench-task-"));
  try {
    const bench = new TaskProgramBench(bundle, dir, `http://127.0.0.1:${(server.address() as AddressInfo).port}/bench`, runs);
    const out = [`task program vs the Python reference (python3: str.split, strip, collections.Counter), best of ${runs}:`];
    const small = path.join(dir, "small.txt");
    writeSmallVocabulary(small, 100);
    const smallOurs = await bench.ours(small);
    const smallPython = await bench.python(small);
    out.push(`  100 MiB, 5,000 distinct words:`);
    out.push(`    ${line("task program", 100, smallOurs)}   (${(smallPython.seconds / smallOurs.seconds).toFixed(2)}x Python's MiB/s)`);
    out.push(`    ${line("Python reference", 100, smallPython)}`);
    rmSync(small);

    const large = path.join(dir, "large.txt");
    const distinct = writeLargeVocabulary(large, 100);
    const largeOurs = await bench.ours(large);
    const largePython = await bench.python(large);
    out.push(`  100 MiB, ${(distinct / 1e6).toFixed(1)} million distinct words:`);
    out.push(`    ${line("task program", 100, largeOurs)}   (${(largePython.seconds / largeOurs.seconds).toFixed(2)}x Python's MiB/s)`);
    out.push(`    ${line("Python reference", 100, largePython)}`);
    rmSync(large);

    const huge = path.join(dir, "small-400.txt");
    writeSmallVocabulary(huge, 400);
    const hugeOurs = await bench.ours(huge);
    out.push(`  400 MiB, same 5,000 distinct words:`);
    out.push(`    ${line("task program", 400, hugeOurs)}   (peak RSS ${(hugeOurs.peakMib / smallOurs.peakMib).toFixed(2)}x that on 100 MiB)`);
    return out;
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
