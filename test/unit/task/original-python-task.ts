/**
 * The ORIGINAL algorithm of python_tutorial_task.py (counting and output file only), run
 * with the local python3 to compare its output file with ours byte for byte.
 */
import { spawnSync } from "node:child_process";

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

/** Runs the original algorithm; returns python's exit status and stderr. */
export function runOriginalAlgorithm(
  inputFile: string,
  outputFile: string,
  numwords: number,
  env: Record<string, string>,
): { status: number | null; stderr: string } {
  const result = spawnSync("python3", ["-c", ORIGINAL_ALGORITHM, inputFile, outputFile, String(numwords)], {
    env: { ...process.env, ...env, PYTHONIOENCODING: "utf-8" },
    encoding: "utf8",
  });
  return { status: result.status, stderr: result.stderr };
}

/** Evaluates a Python expression and returns what it prints. */
export function pythonPrint(expression: string): string {
  const result = spawnSync("python3", ["-c", `import os, string, sys\nsys.stdout.write(${expression})`], {
    encoding: "utf8",
    env: { ...process.env, PYTHONIOENCODING: "utf-8" },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}
