/**
 * The ORIGINAL algorithm of python_tutorial_task.py (counting and output file only), run
 * with the local python3 to compare its output file with ours byte for byte.
 *
 * Starting python3 costs about a second, so every case of a test file runs in ONE python3
 * process: a driver executes the original script, unchanged, once per case, with that case's
 * `sys.argv` and environment, and reports each run's exit status and traceback as JSON.
 */
import { spawn, spawnSync } from "node:child_process";

export const PYTHON3_AVAILABLE = spawnSync("python3", ["--version"]).status === 0;

const ORIGINAL_ALGORITHM = String.raw`
import collections, os, string, sys
input_file, output_file, numwords = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(input_file, encoding='utf-8') as f:
    words = [word.strip(string.punctuation) for word in f.read().split()]
word_counts = collections.Counter(words)
with open(output_file, "w", encoding='utf-8') as text_file:
    print('Word\tCount', file=text_file)
    print("------------------------------", file=text_file)
    for word, count in word_counts.most_common(numwords):
        print(word + ':\t' + str(count), file=text_file)
    print("------------------------------", file=text_file)
    print("Node: " + os.environ['AZ_BATCH_NODE_ID'], file=text_file)
    print("Task: " + os.environ['AZ_BATCH_TASK_ID'], file=text_file)
    print("Job:  " + os.environ['AZ_BATCH_JOB_ID'], file=text_file)
    print("Pool: " + os.environ['AZ_BATCH_POOL_ID'], file=text_file)
`;

/**
 * Reads `{ script, cases, expressions }` from stdin. Runs the script once per case as python
 * would run `python3 -c script ARGS` (an uncaught exception: status 1 and the traceback on
 * "stderr"), then evaluates each expression; prints `{ runs, printed }` as ASCII JSON.
 */
const DRIVER = String.raw`
import json, os, string, sys, traceback
batch = json.load(sys.stdin)
code = compile(batch['script'], '<string>', 'exec')
runs = []
for case in batch['cases']:
    os.environ.update(case['env'])
    sys.argv = ['-c'] + case['argv']
    try:
        exec(code, {'__name__': '__main__'})
        runs.append({'status': 0, 'stderr': ''})
    except SystemExit as exit:
        runs.append({'status': 0 if exit.code is None else exit.code if isinstance(exit.code, int) else 1, 'stderr': ''})
    except BaseException:
        runs.append({'status': 1, 'stderr': traceback.format_exc()})
printed = [str(eval(expression, {'os': os, 'string': string, 'sys': sys})) for expression in batch['expressions']]
sys.stdout.write(json.dumps({'runs': runs, 'printed': printed}))
`;

/** One run of the original algorithm: `python3 -c ORIGINAL inputFile outputFile numwords` with `env`. */
export interface OriginalCase {
  inputFile: string;
  outputFile: string;
  numwords: number;
  env: Record<string, string>;
}

/** What the process running the case would have ended with. */
export interface OriginalRun {
  status: number | null;
  stderr: string;
}

export interface OriginalBatch {
  cases: OriginalCase[];
  /** Python expressions (with os, string and sys imported), each evaluated and printed. */
  expressions?: string[];
}

export interface OriginalResults {
  /** One per case, in order. */
  runs: OriginalRun[];
  /** What each expression printed, in order. */
  printed: string[];
}

/** Runs every case of the original algorithm, then every expression, in one python3 process. */
export function runOriginalPython(batch: OriginalBatch): Promise<OriginalResults> {
  const input = JSON.stringify({
    script: ORIGINAL_ALGORITHM,
    cases: batch.cases.map((c) => ({ argv: [c.inputFile, c.outputFile, String(c.numwords)], env: c.env })),
    expressions: batch.expressions ?? [],
  });
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-c", DRIVER], { env: { ...process.env, PYTHONIOENCODING: "utf-8" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => {
      if (status === 0) resolve(JSON.parse(stdout) as OriginalResults);
      else reject(new Error(`the python3 driver failed with status ${status}: ${stderr}`));
    });
    child.stdin.end(input);
  });
}

/** Runs the original algorithm once; returns python's exit status and stderr. */
export async function runOriginalAlgorithm(inputFile: string, outputFile: string, numwords: number, env: Record<string, string>): Promise<OriginalRun> {
  const { runs } = await runOriginalPython({ cases: [{ inputFile, outputFile, numwords, env }] });
  return runs[0]!;
}
