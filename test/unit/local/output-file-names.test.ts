/**
 * Output files get the blob names the service gives them (output-blob-names.ts): a wildcard
 * pattern's matches are named below `path` relative to the directory the pattern starts from
 * (`../std*.txt` → `<path>/stdout.txt`), a literal pattern's file is named `path` or its own file
 * name; `uploadHeaders` become the blob's properties. Real blobs from Azurite (a Node child
 * process, no Docker); `identityReference` is refused through the REST endpoint.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { BlobServiceClient, ContainerSASPermissions } from "@azure/storage-blob";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AzuriteProcess } from "../../../src/backends/local/azurite/azurite-process.js";
import { uploadOutputFiles } from "../../../src/backends/local/execution/output-files.js";
import type { OutputFile } from "../../../src/core/models/index.js";
import { signedFetcher } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";

let azurite: AzuriteProcess;
let blobs: BlobServiceClient;
let containerUrl: string;
let containerName = "";
let counter = 0;
let taskDir: string;

beforeAll(async () => {
  azurite = await AzuriteProcess.start({ port: 0 });
  blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
}, 60_000);

afterAll(async () => {
  await azurite?.stop();
});

/** A task directory as a task leaves it: its logs beside `wd`, results in and below `wd`. */
beforeEach(async () => {
  taskDir = await mkdtemp(path.join(os.tmpdir(), "malachite-outputs-"));
  await mkdir(path.join(taskDir, "wd/out/deep"), { recursive: true });
  const files: Record<string, string> = {
    "stdout.txt": "out\n",
    "stderr.txt": "err\n",
    "wd/output.txt": "output\n",
    "wd/data.bin": "bin\n",
    "wd/out/result.txt": "result\n",
    "wd/out/deep/more.txt": "more\n",
  };
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(taskDir, name), text);
  containerName = `names${++counter}`;
  const container = blobs.getContainerClient(containerName);
  await container.create();
  containerUrl = await container.generateSasUrl({ permissions: ContainerSASPermissions.parse("racwl"), expiresOn: new Date(Date.now() + 3_600_000) });
});

afterEach(async () => {
  await rm(taskDir, { recursive: true, force: true });
});

function output(filePattern: string, destination: { path?: string; uploadHeaders?: { name: string; value?: string }[] } = {}): OutputFile {
  return { filePattern, destination: { container: { containerUrl, ...destination } }, uploadOptions: { uploadCondition: "taskcompletion" } };
}

/** Every blob of the container, by name, with its content. */
async function uploaded(): Promise<Record<string, string>> {
  const container = blobs.getContainerClient(containerName);
  const found: Record<string, string> = {};
  for await (const blob of container.listBlobsFlat()) found[blob.name] = (await container.getBlobClient(blob.name).downloadToBuffer()).toString();
  return found;
}

describe("output file blob names", () => {
  it("name the matches of ../std*.txt below path, one blob per task", async () => {
    expect(await uploadOutputFiles([output("../std*.txt", { path: "logs/t1" })], taskDir, "success")).toBe(2);
    expect(await uploaded()).toEqual({ "logs/t1/stdout.txt": "out\n", "logs/t1/stderr.txt": "err\n" });
  });

  it("name the matches of ../std*.txt by their file name at the container's root without path", async () => {
    expect(await uploadOutputFiles([output("../std*.txt")], taskDir, "success")).toBe(2);
    expect(await uploaded()).toEqual({ "stdout.txt": "out\n", "stderr.txt": "err\n" });
  });

  it("keep the directories below the pattern's base for **, and drop the directories before it", async () => {
    await uploadOutputFiles([output("**/*.txt", { path: "all/" }), output("out/*.txt", { path: "results" }), output("out/**/*.txt")], taskDir, "success");
    expect(await uploaded()).toEqual({
      "all/output.txt": "output\n",
      "all/out/result.txt": "result\n",
      "all/out/deep/more.txt": "more\n",
      "results/result.txt": "result\n",
      "result.txt": "result\n",
      "deep/more.txt": "more\n",
    });
  });

  it("name a literal file path itself, or its file name without path", async () => {
    await uploadOutputFiles(
      [output("output.txt", { path: "t1/output.txt" }), output("../stdout.txt", { path: "t1/log" }), output("out/deep/more.txt"), output("./out/../data.bin")],
      taskDir,
      "success",
    );
    expect(await uploaded()).toEqual({ "t1/output.txt": "output\n", "t1/log": "out\n", "more.txt": "more\n", "data.bin": "bin\n" });
  });
});

describe("output file upload headers", () => {
  it("become the blob's properties, metadata and tags, by case-insensitive name", async () => {
    const uploadHeaders = [
      { name: "Content-Type", value: "text/plain; charset=utf-8" },
      { name: "cache-control", value: "max-age=60" },
      { name: "Content-Encoding", value: "identity" },
      { name: "Content-Language", value: "en-GB" },
      { name: "x-ms-blob-content-disposition", value: 'attachment; filename="result.txt"' },
      { name: "x-ms-meta-Owner", value: "malachite" },
      { name: "x-ms-tags", value: "kind=result&run=1" },
    ];
    await uploadOutputFiles([output("out/result.txt", { path: "r.txt", uploadHeaders }), output("data.bin")], taskDir, "success");
    const container = blobs.getContainerClient(containerName);
    const properties = await container.getBlobClient("r.txt").getProperties();
    expect(properties).toMatchObject({
      contentType: "text/plain; charset=utf-8",
      cacheControl: "max-age=60",
      contentEncoding: "identity",
      contentLanguage: "en-GB",
      contentDisposition: 'attachment; filename="result.txt"',
      metadata: { owner: "malachite" },
    });
    expect((await container.getBlobClient("r.txt").getTags()).tags).toEqual({ kind: "result", run: "1" });
    expect((await container.getBlobClient("data.bin").getProperties()).contentType).toBe("application/octet-stream");
  });

  it("make an upload conditional: If-None-Match * fails on an existing blob", async () => {
    await blobs.getContainerClient(containerName).getBlockBlobClient("keep.txt").upload("kept\n", 5);
    const upload = uploadOutputFiles([output("output.txt", { path: "keep.txt", uploadHeaders: [{ name: "If-None-Match", value: "*" }] })], taskDir, "success");
    await expect(upload).rejects.toThrow(/BlobAlreadyExists|ConditionNotMet/);
    expect(await uploaded()).toEqual({ "keep.txt": "kept\n" });
  });
});

describe("output file identityReference", () => {
  it("is refused through REST with UnsupportedProperty: there is no managed identity locally", async () => {
    const bed = await TestBed.start({ server: { authentication: false } });
    try {
      const batch = signedFetcher(bed.account);
      const destination = { container: { containerUrl: "http://127.0.0.1:9/acct/c", identityReference: { resourceId: "/subscriptions/s/identity" } } };
      const task = { id: "t", commandLine: "true", outputFiles: [{ filePattern: "*.txt", destination, uploadOptions: { uploadCondition: "taskcompletion" } }] };
      const answer = await batch("/jobs/j/tasks", { json: task, sign: false });
      expect(answer.status, answer.text).toBe(400);
      const error = answer.json as { code: string; values: { key: string; value: string }[] };
      expect(error.code).toBe("UnsupportedProperty");
      expect(error.values).toContainEqual({ key: "PropertyName", value: "outputFiles[0].destination.container.identityReference" });
    } finally {
      await bed.close();
    }
  }, 30_000);
});
