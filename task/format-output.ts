/** The Batch ids the original task prints at the end of its output file. */
export interface BatchTaskIdentity {
  readonly nodeId: string;
  readonly taskId: string;
  readonly jobId: string;
  readonly poolId: string;
}

/**
 * Reads the ids from the AZ_BATCH_* variables the node sets for every task.
 * The original reads `os.environ[...]` and would crash without them; here a missing
 * variable prints as `None`, as Python prints a missing value.
 */
export function batchTaskIdentity(env: Readonly<Record<string, string | undefined>>): BatchTaskIdentity {
  return {
    nodeId: env["AZ_BATCH_NODE_ID"] ?? "None",
    taskId: env["AZ_BATCH_TASK_ID"] ?? "None",
    jobId: env["AZ_BATCH_JOB_ID"] ?? "None",
    poolId: env["AZ_BATCH_POOL_ID"] ?? "None",
  };
}

const RULE = "-".repeat(30);

/** The output file's content, byte for byte as the original's `print` calls write it. */
export function formatOutput(topWords: ReadonlyArray<readonly [word: string, count: number]>, identity: BatchTaskIdentity): string {
  const lines = [
    "Word\tCount",
    RULE,
    ...topWords.map(([word, count]) => `${word}:\t${count}`),
    RULE,
    `Node: ${identity.nodeId}`,
    `Task: ${identity.taskId}`,
    `Job:  ${identity.jobId}`,
    `Pool: ${identity.poolId}`,
  ];
  return lines.map((line) => `${line}\n`).join("");
}
