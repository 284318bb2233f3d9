import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { terminalTaskProgress } from "../../../src/cli/task-progress.js";
import type { Backend } from "../../../src/core/backend.js";
import type { CloudTask, TaskState } from "../../../src/core/models/index.js";
import { runTutorial } from "../../../src/workflow/tutorial-workflow.js";
import { waitForTasksToComplete } from "../../../src/workflow/wait-for-tasks.js";

/** An output stream that records what is written; a terminal when `isTTY` is set, as process.stdout is. */
class RecordingStream extends Writable {
  text = "";
  constructor(readonly isTTY: boolean | undefined) {
    super({ write: (chunk: Buffer | string, _encoding, done) => ((this.text += chunk.toString()), done()) });
  }
  readonly columns = 160;
}

function task(id: string, state: TaskState, result?: "success" | "failure"): CloudTask {
  return { id, state, executionInfo: { retryCount: 0, requeueCount: 0, ...(result ? { result } : {}) } } as CloudTask;
}

/** The tasks a job lists at each poll: the last answer repeats. */
const POLLS: CloudTask[][] = [
  [task("t0", "active"), task("t1", "running")],
  [task("t0", "running"), task("t1", "completed", "success")],
  [task("t0", "completed", "failure"), task("t1", "completed", "success")],
];

/** A backend whose tasks move through POLLS, one step per `task.list`; `onPoll` sees each poll. */
function scriptedBackend(onPoll: (poll: number) => void = () => undefined): Backend {
  let poll = 0;
  return {
    kind: "local",
    storage: {
      accountName: "acct",
      blobEndpoint: "http://127.0.0.1:1/acct",
      createContainer: async () => true,
      deleteContainer: async () => true,
      uploadFile: async () => undefined,
      listBlobs: async () => [],
      blobSasUrl: (c: string, b: string) => `http://127.0.0.1:1/acct/${c}/${b}?sig=x`,
      containerSasUrl: (c: string) => `http://127.0.0.1:1/acct/${c}?sig=x`,
    },
    batch: {
      pool: { add: async () => undefined, delete: async () => undefined },
      job: { add: async () => undefined, delete: async () => undefined },
      task: {
        addCollection: async (_job: string, tasks: { id: string }[]) => tasks.map((t) => ({ status: "success", taskId: t.id })),
        list: async () => {
          onPoll(poll);
          return POLLS[Math.min(poll++, POLLS.length - 1)];
        },
      },
    },
    close: async () => undefined,
  } as unknown as Backend;
}

async function tutorialOn(stream: RecordingStream, now?: () => number, backend = scriptedBackend()) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "malachite-progress-"));
  const input = path.join(dir, "a.txt");
  writeFileSync(input, "a b c");
  await runTutorial(backend, {
    inputFiles: [input, input],
    taskProgram: input,
    numWords: 3,
    nodes: 1,
    outputDir: dir,
    cleanup: "yes",
    poolId: "P",
    jobId: "J",
    timeoutMs: 60_000,
    pollMs: 1,
    write: (text) => stream.write(text),
    input: new PassThrough(),
    progress: terminalTaskProgress(stream, now),
  });
  return { input, text: stream.text };
}

describe("the terminal progress line while tasks are monitored", () => {
  it("is absent without a terminal: the output is exactly the tutorial's text", async () => {
    const { input, text } = await tutorialOn(new RecordingStream(undefined));
    expect(text.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "<time>")).toBe(
      [
        "Sample start: <time>",
        "",
        `Uploading file ${input} to container [application]...`,
        `Uploading file ${input} to container [input]...`,
        `Uploading file ${input} to container [input]...`,
        "Creating pool [P]...",
        "Creating job [J]...",
        "Adding 2 tasks to job [J]...",
        "Monitoring all tasks for 'Completed' state, timeout in 0:01:00...",
        "  Success! All tasks reached the 'Completed' state within the specified timeout period.",
        "  Task t0 failed: failure (exit code none)",
        "Downloading all files from container [output]...",
        "  Download complete!",
        "Deleting containers...",
        "",
        "Sample end: <time>",
        "Elapsed time: 0:00:00",
        "",
        "Delete job? [Y/n] y",
        "Delete pool? [Y/n] y",
        "",
      ].join("\n"),
    );
  });

  it("on a terminal, shows the counts by state and the elapsed time in place of the dots, then the tutorial carries on", async () => {
    let now = 0;
    const { text } = await tutorialOn(
      new RecordingStream(true),
      () => now,
      scriptedBackend(() => (now += 5_000)),
    );
    // eslint-disable-next-line no-control-regex
    const plain = text.replace(/\x1B(\[[0-9;?]*[A-Za-z]|[78])/g, "");
    expect(plain).toContain("Monitoring all tasks for 'Completed' state, timeout in 0:01:00\n");
    expect(plain).not.toContain("0:01:00.");
    expect(plain).toMatch(/Tasks \[░{24}\] 0\/2 completed \| 1 active, 0 preparing, 1 running \| elapsed 0:00:00/);
    expect(plain).toMatch(/Tasks \[█{12}░{12}\] 1\/2 completed \| 0 active, 0 preparing, 1 running \| elapsed 0:00:05/);
    expect(plain).toMatch(/Tasks \[█{24}\] 2\/2 completed \| 0 active, 0 preparing, 0 running \| 1 failed \| elapsed 0:00:10\n {2}Success! All tasks/);
    expect(text).toContain("\x1B[?25l");
    expect(text.endsWith("Delete pool? [Y/n] y\n")).toBe(true);
  });

  it("ends the line and shows the cursor again when the wait times out", async () => {
    const stream = new RecordingStream(true);
    const backend = scriptedBackend();
    const stuck = { ...backend.batch, task: { list: async () => [task("t0", "running")] } } as unknown as Backend["batch"];
    const wait = waitForTasksToComplete(stuck, "J", { timeoutMs: 20, pollMs: 5, write: (text) => stream.write(text), progress: terminalTaskProgress(stream) });
    await expect(wait).rejects.toThrow("ERROR: Tasks did not reach 'Completed' state within timeout period of 0:00:00");
    expect(stream.text).toContain("0/1 completed | 0 active, 0 preparing, 1 running");
    expect(stream.text.lastIndexOf("\x1B[?25h")).toBeGreaterThan(stream.text.lastIndexOf("\x1B[?25l"));
    expect(stream.text.endsWith("\n")).toBe(true);
  });
});
