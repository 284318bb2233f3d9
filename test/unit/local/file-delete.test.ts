/**
 * File_DeleteFromTask and File_DeleteFromComputeNode (`DELETE .../files/{filePath}`) through
 * @azure/batch 10.2.0 and signed requests, on a fake node runtime.
 */
import { mkdir, writeFile } from "node:fs/promises";
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../support/fake-programs.js";
import { signedFetcher, type BatchHttpResponse } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";
import { restErrorOf } from "../../support/rejection-of.js";

let bed: TestBed;
let client: BatchServiceClient;
let nodeId: string;

/** Writes wd/out/a.txt, wd/out/b.txt and wd/empty/ (an empty directory). */
async function makeFiles(run: ProgramRun) {
  await mkdir(run.hostPath("out"), { recursive: true });
  await mkdir(run.hostPath("empty"), { recursive: true });
  await writeFile(run.hostPath("out/a.txt"), "a\n");
  await writeFile(run.hostPath("out/b.txt"), "b\n");
  return {};
}

beforeEach(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  bed.runtime.programs.set("make-files", makeFiles);
  nodeId = (await bed.addPool("p")).nodes[0]?.id as string;
  await bed.addJob("j", "p");
  await client.task.add("j", { id: "t", commandLine: "make-files" });
  await bed.taskIn("j", "t", "completed");
});

afterEach(async () => {
  await bed.close();
});

/** The Batch error code of a signed request's answer. */
function codeOf(response: BatchHttpResponse): string | undefined {
  return (response.json as { code?: string } | undefined)?.code;
}

const taskFiles = async () => (await client.file.listFromTask("j", "t", { fileListFromTaskOptions: {}, recursive: true })).map((f) => f.name);

describe("task file delete (DELETE /jobs/{jobId}/tasks/{taskId}/files/{filePath})", () => {
  it("deletes a file (200), an empty directory, and a full one only with recursive", async () => {
    const answer = await client.file.deleteFromTask("j", "t", "wd/out/a.txt");
    expect(answer._response.status).toBe(200);
    expect(await taskFiles()).not.toContain("wd/out/a.txt");
    await client.file.deleteFromTask("j", "t", "wd/empty");
    expect(await taskFiles()).not.toContain("wd/empty");

    const notEmpty = await restErrorOf(client.file.deleteFromTask("j", "t", "wd/out"));
    expect([notEmpty.statusCode, notEmpty.code]).toEqual([409, "OperationInvalidForCurrentState"]);
    expect(await taskFiles()).toContain("wd/out/b.txt");
    await client.file.deleteFromTask("j", "t", "wd/out", { recursive: true });
    expect(await taskFiles()).toEqual(["stderr.txt", "stdout.txt", "wd"]);
  });

  it("answers 404 FileNotFound for what is not there, TaskNotFound/JobNotFound for the task, and 400 for a bad recursive", async () => {
    const missing = await restErrorOf(client.file.deleteFromTask("j", "t", "wd/none.txt"));
    expect([missing.statusCode, missing.code]).toEqual([404, "FileNotFound"]);
    expect((await restErrorOf(client.file.deleteFromTask("j", "none", "stdout.txt"))).code).toBe("TaskNotFound");
    expect((await restErrorOf(client.file.deleteFromTask("none", "t", "stdout.txt"))).code).toBe("JobNotFound");
    const batchFetch = signedFetcher(bed.account);
    const bad = await batchFetch("/jobs/j/tasks/t/files/wd/out", { method: "DELETE", query: { recursive: "yes" } });
    expect([bad.status, codeOf(bad)]).toEqual([400, "InvalidQueryParameterValue"]);
    const upper = await batchFetch("/jobs/j/tasks/t/files/wd%2Fout", { method: "DELETE", query: { recursive: "True" } });
    expect(upper.status).toBe(200);
    expect(await taskFiles()).not.toContain("wd/out");
  });

  it("a task that has not run has no files to delete", async () => {
    bed.runtime.hold("work");
    await bed.addJob("waiting", "p");
    await client.task.add("waiting", { id: "first", commandLine: "work" });
    await client.task.add("waiting", { id: "queued", commandLine: "work" });
    await bed.taskIn("waiting", "first", "running"); // the node's only slot
    expect((await restErrorOf(client.file.deleteFromTask("waiting", "queued", "stdout.txt"))).code).toBe("FileNotFound");
  });
});

describe("node file delete (DELETE /pools/{poolId}/nodes/{nodeId}/files/{filePath})", () => {
  it("deletes below the node root: a task's file or its whole directory with recursive", async () => {
    await client.file.deleteFromComputeNode("p", nodeId, "workitems/j/job-1/t/stdout.txt");
    expect(await taskFiles()).not.toContain("stdout.txt");
    const notEmpty = await restErrorOf(client.file.deleteFromComputeNode("p", nodeId, "workitems/j/job-1/t"));
    expect(notEmpty.statusCode).toBe(409);
    await client.file.deleteFromComputeNode("p", nodeId, "workitems/j/job-1/t", { recursive: true });
    expect(await taskFiles()).toEqual([]);
    expect((await restErrorOf(client.file.deleteFromComputeNode("p", nodeId, "workitems/j/job-1/t"))).code).toBe("FileNotFound");
    expect((await restErrorOf(client.file.deleteFromComputeNode("p", "tvm-none", "x"))).code).toBe("NodeNotFound");
    expect((await restErrorOf(client.file.deleteFromComputeNode("none", nodeId, "x"))).code).toBe("PoolNotFound");
  });
});
