import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Backend } from "../../../src/core/backend.js";
import { BatchErrors } from "../../../src/core/batch-errors.js";
import { runTutorial, type TutorialOptions } from "../../../src/workflow/tutorial-workflow.js";

/** A backend that records the Batch calls the workflow makes and fails where told to. */
function recordingBackend(failures: { poolAdd?: Error; addCollection?: Error }): { backend: Backend; calls: string[] } {
  const calls: string[] = [];
  const record =
    (name: string, failure?: Error) =>
    async (...args: unknown[]) => {
      calls.push(`${name}(${typeof args[0] === "string" ? args[0] : ((args[0] as { id?: string })?.id ?? "")})`);
      if (failure) throw failure;
      return [];
    };
  const backend = {
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
      pool: { add: record("pool.add", failures.poolAdd), delete: record("pool.delete") },
      job: { add: record("job.add"), delete: record("job.delete") },
      task: { addCollection: record("task.addCollection", failures.addCollection) },
    },
    close: async () => undefined,
  } as unknown as Backend;
  return { backend, calls };
}

function options(cleanup: TutorialOptions["cleanup"]): TutorialOptions {
  const dir = mkdtempSync(path.join(os.tmpdir(), "malachite-cleanup-"));
  const input = path.join(dir, "a.txt");
  writeFileSync(input, "a b c");
  return {
    inputFiles: [input],
    taskProgram: input,
    numWords: 3,
    nodes: 1,
    outputDir: dir,
    cleanup,
    poolId: "P",
    jobId: "J",
    timeoutMs: 1000,
    pollMs: 10,
    write: () => undefined,
    input: new PassThrough(),
  };
}

describe("the tutorial's cleanup", () => {
  it("deletes the job and pool it created when a later step fails", async () => {
    const { backend, calls } = recordingBackend({ addCollection: new Error("boom") });
    await expect(runTutorial(backend, options("ask"))).rejects.toThrow("boom");
    expect(calls).toEqual(["pool.add(P)", "job.add(J)", "task.addCollection(J)", "job.delete(J)", "pool.delete(P)"]);
  });

  it("keeps them with --keep", async () => {
    const { backend, calls } = recordingBackend({ addCollection: new Error("boom") });
    await expect(runTutorial(backend, options("keep"))).rejects.toThrow("boom");
    expect(calls).not.toContain("pool.delete(P)");
  });

  it("reuses an existing pool and, on failure, deletes only what it created", async () => {
    const { backend, calls } = recordingBackend({ poolAdd: BatchErrors.poolExists("P"), addCollection: new Error("boom") });
    await expect(runTutorial(backend, options("yes"))).rejects.toThrow("boom");
    expect(calls).toEqual(["pool.add(P)", "job.add(J)", "task.addCollection(J)", "job.delete(J)"]);
  });

  it("stops and cleans up when interrupted", async () => {
    const { backend, calls } = recordingBackend({});
    const controller = new AbortController();
    const run = runTutorial(backend, {
      ...options("ask"),
      signal: controller.signal,
      write: (text) => text.startsWith("Creating job") && controller.abort(new Error("interrupted")),
    });
    await expect(run).rejects.toThrow("interrupted");
    expect(calls).toEqual(["pool.add(P)", "job.add(J)", "job.delete(J)", "pool.delete(P)"]);
  });
});
